from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_eforms_admin_urls():
    from .admin_views import submission_file_download

    urls = [path("datei/<int:pk>/", submission_file_download, name="file")]
    return [path("antraege/", include((urls, "eforms_admin"), namespace="eforms_admin"))]

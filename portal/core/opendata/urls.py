from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^katalog\.(?P<fmt>rdf|ttl)$", views.catalogue, name="catalogue"),
    re_path(r"^(?P<name>[a-z0-9-]+\.(?:csv|geojson))$", views.data_file, name="file"),
]

from django.urls import path, re_path

from . import views

app_name = "open311"

# The format suffix is checked by the views, so that `.csv` gets the spec's 404 body.
FMT = r"\.(?P<fmt>\w+)$"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="service-list"),
    re_path(
        r"^services/(?P<service_code>[-\w]+)" + FMT,
        views.service_definition,
        name="service-definition",
    ),
    re_path(r"^requests" + FMT, views.request_list, name="request-list"),
    re_path(
        r"^requests/(?P<service_request_id>[-\w]+)" + FMT,
        views.request_detail,
        name="request-detail",
    ),
    # FixMyStreet's extension: the public changes of requests, for clients that keep in step
    re_path(r"^servicerequestupdates" + FMT, views.update_list, name="update-list"),
    # the singular path of open311/schema-validation's swagger.json, which some clients copy
    re_path(r"^request/(?P<service_request_id>[-\w]+)" + FMT, views.request_detail),
    re_path(r"^(?P<path>.*)$", views.not_found),
]

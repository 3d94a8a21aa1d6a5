"""The citizen's pages of an Anliegen. Included at the site root, before Wagtail's pages."""

from django.urls import path

from . import public_views

app_name = "tickets"

urlpatterns = [
    path("anliegen/eingegangen/<str:token>/", public_views.receipt, name="receipt"),
    path("anliegen/status/<str:token>/", public_views.status, name="status"),
    path("anliegen/status/<str:token>/daten/", public_views.status_data, name="status_data"),
    path("konto/anliegen/", public_views.mine, name="mine"),
]

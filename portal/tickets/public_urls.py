"""The citizen's pages of an Anliegen. Included at the site root, before Wagtail's pages."""

from django.urls import path

from . import public_views

app_name = "tickets"

urlpatterns = [
    path("anliegen/eingegangen/<str:token>/", public_views.receipt, name="receipt"),
    path("anliegen/status/<str:token>/", public_views.status, name="status"),
    path("anliegen/status/<str:token>/daten/", public_views.status_data, name="status_data"),
    path("anliegen/status/<str:token>/antwort/", public_views.status_answer, name="answer"),
    path("anliegen/status/<str:token>/nicht-behoben/", public_views.status_reopen, name="reopen"),
    path("anliegen/status/<str:token>/bewertung/", public_views.status_feedback, name="feedback"),
    path("konto/anliegen/", public_views.mine, name="mine"),
]

"""The two forms that open an Anliegen. Included at the site root, before Wagtail's pages: the
accessibility form lives below the Wagtail page /barrierefreiheit/ and wins for its own path."""

from django.urls import path

from . import views

app_name = "contact"

urlpatterns = [
    path("anliegen/neu/", views.general, name="general"),
    path("barrierefreiheit/rueckmeldung/", views.accessibility, name="accessibility"),
]

"""Online applications under /antraege/."""

from django.urls import path

from . import views

app_name = "eforms"

urlpatterns = [
    path("<slug:key>/", views.form_start, name="form-start"),
]

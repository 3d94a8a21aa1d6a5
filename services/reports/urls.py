"""The public pages of the Mängelmelder, under /maengel/."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("melden/", views.report_create, name="create"),
    path("melden/foto/<str:token>/<int:slot>/", views.report_draft_photo, name="draft-photo"),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/unterstuetzen/", views.report_support_view, name="support"),
]

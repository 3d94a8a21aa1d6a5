"""The public pages of the Mängelmelder, under /maengel/."""

from django.urls import path

from . import map_views, support_views, views
from .feeds import CategoryReportFeed, DistrictReportFeed, ReportFeed
from .follow_views import (
    report_follow_confirm_view,
    report_follow_unsubscribe_view,
    report_follow_view,
)

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("karte.json", map_views.report_map_data, name="map-data"),
    path("melden/", views.report_create, name="create"),
    path("melden/foto/<str:token>/<int:slot>/", views.report_draft_photo, name="draft-photo"),
    path("melden/zusatzfragen/", views.report_attribute_fields, name="attribute-fields"),
    path("melden/adressen/", views.address_suggest, name="address-suggest"),
    # before the report page, whose <number> would take "feed"
    path("feed/", ReportFeed(), name="feed"),
    path("feed/stadtteil/<int:pk>/", DistrictReportFeed(), name="feed-district"),
    path("feed/kategorie/<slug:slug>/", CategoryReportFeed(), name="feed-category"),
    path("folgen/bestaetigen/<str:code>/", report_follow_confirm_view, name="follow-confirm"),
    path("folgen/abmelden/<str:code>/", report_follow_unsubscribe_view, name="follow-unsubscribe"),
    path(
        "betroffen/bestaetigen/<str:code>/",
        support_views.report_support_confirm_view,
        name="support-confirm",
    ),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/unterstuetzen/", support_views.report_support_view, name="support"),
    path("<str:number>/folgen/", report_follow_view, name="follow"),
]

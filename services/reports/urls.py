"""The public pages of the Mängelmelder, under /maengel/."""

from django.urls import path

from portal.core.subscriptions.views import confirm_view, unsubscribe_view

from . import area_views, map_views, support_views, views
from .area_alerts import KIND as AREA
from .feeds import CategoryReportFeed, DistrictReportFeed, ReportFeed
from .follow import KIND as FOLLOW
from .follow_views import report_follow_view

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
    # the kernel's pages at the addresses the e-mails have always linked to
    path("folgen/bestaetigen/<str:code>/", confirm_view, {"kind": FOLLOW}, name="follow-confirm"),
    path(
        "folgen/abmelden/<str:code>/", unsubscribe_view, {"kind": FOLLOW}, name="follow-unsubscribe"
    ),
    path("benachrichtigungen/", area_views.area_alerts, name="alerts"),
    path(
        "benachrichtigungen/bestaetigen/<str:code>/",
        confirm_view,
        {"kind": AREA},
        name="alerts-confirm",
    ),
    path(
        "benachrichtigungen/abmelden/<str:code>/",
        unsubscribe_view,
        {"kind": AREA},
        name="alerts-unsubscribe",
    ),
    path(
        "betroffen/bestaetigen/<str:code>/",
        support_views.report_support_confirm_view,
        name="support-confirm",
    ),
    path("<str:number>/", views.report_detail, name="detail"),
    path("<str:number>/unterstuetzen/", support_views.report_support_view, name="support"),
    path("<str:number>/folgen/", report_follow_view, name="follow"),
]

"""Moderation pages, mounted under /admin/beteiligung/ (namespace `contributions_admin`) by
`wagtail_hooks.py`; Wagtail wraps them in its admin access check."""

from django.urls import path

from . import admin_views
from .urls import KindConverter  # noqa: F401 - registers the <kind:…> converter

app_name = "contributions_admin"

urlpatterns = [
    path("", admin_views.OverviewView.as_view(), name="overview"),
    path("protokoll/", admin_views.LogView.as_view(), name="log"),
    path("vorhaben/<int:project_id>/", admin_views.QueueView.as_view(), name="queue"),
    path("ziel/<slug:kind_key>/", admin_views.KindQueueView.as_view(), name="kind-queue"),
    path(
        "vorhaben/<int:project_id>/offline/",
        admin_views.OfflineEntryView.as_view(),
        name="offline",
    ),
    path("<kind:kind>/<int:pk>/", admin_views.ContributionView.as_view(), name="contribution"),
    path("<kind:kind>/<int:pk>/ausblenden/", admin_views.HideView.as_view(), name="hide"),
    path(
        "<kind:kind>/<int:pk>/wiederherstellen/",
        admin_views.RestoreView.as_view(),
        name="restore",
    ),
    path("<kind:kind>/<int:pk>/anliegen/", admin_views.TicketView.as_view(), name="ticket"),
    path("<kind:kind>/<int:pk>/sperren/", admin_views.BlockView.as_view(), name="block"),
    path("<kind:kind>/<int:pk>/entsperren/", admin_views.UnblockView.as_view(), name="unblock"),
]

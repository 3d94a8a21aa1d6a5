"""The Ideenpool's back office, mounted under /admin/ideenpool/ (namespace `ideas_admin`) by
`wagtail_hooks.py`; Wagtail wraps them in its admin access check."""

from django.urls import path

from . import admin_views

app_name = "ideas_admin"

urlpatterns = [
    path("", admin_views.IdeaListView.as_view(), name="list"),
    path("ratsliste/", admin_views.CouncilListView.as_view(), name="council"),
    path("ratsliste/csv/", admin_views.CouncilExportView.as_view(), name="council-csv"),
    path("kennzahlen/", admin_views.KpiView.as_view(), name="kpis"),
    path("erfassen/", admin_views.OfflineEntryView.as_view(), name="offline"),
    path("<int:pk>/", admin_views.IdeaDetailView.as_view(), name="detail"),
    path("<int:pk>/stufe/", admin_views.StageView.as_view(), name="stage"),
    path("<int:pk>/vorhaben/", admin_views.ProjectLinkView.as_view(), name="project"),
    path("<int:pk>/ausblenden/", admin_views.HideView.as_view(), name="hide"),
    path("<int:pk>/einblenden/", admin_views.RestoreView.as_view(), name="restore"),
]

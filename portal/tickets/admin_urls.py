"""URLs of the back office, mounted under /admin/anliegen/ (namespace `tickets_admin`) by
`wagtail_hooks.py`; Wagtail wraps them in its admin access check."""

from django.urls import path

from .admin import detail, queue, tools

app_name = "tickets_admin"

urlpatterns = [
    path("", queue.QueueView.as_view(), name="queue"),
    path("export/", queue.ExportView.as_view(), name="export"),
    path("sammelaktion/", queue.BulkActionView.as_view(), name="bulk"),
    path("statistik/", tools.StatisticsView.as_view(), name="statistics"),
    path("fehlgeschlagen/", tools.FailedJobListView.as_view(), name="failed"),
    path(
        "fehlgeschlagen/<int:pk>/erneut/",
        tools.FailedJobRetryView.as_view(),
        name="failed-retry",
    ),
    path(
        "fehlgeschlagen/e-mail/<int:pk>/erneut/",
        tools.FailedMailRetryView.as_view(),
        name="failed-mail-retry",
    ),
    path("regeln-testen/", tools.RulesTestView.as_view(), name="rules-test"),
    path("<int:pk>/", detail.TicketDetailView.as_view(), name="detail"),
    path("<int:pk>/annehmen/", detail.AcceptView.as_view(), name="ticket-accept"),
    path("<int:pk>/abgeben/", detail.HandOverView.as_view(), name="ticket-hand-over"),
    path("<int:pk>/zuweisen/", detail.AssignView.as_view(), name="ticket-assign"),
    path("<int:pk>/status/", detail.StatusView.as_view(), name="ticket-status"),
    path("<int:pk>/abschliessen/", detail.CloseView.as_view(), name="ticket-close"),
    path("<int:pk>/notiz/", detail.NoteView.as_view(), name="ticket-note"),
    path("<int:pk>/rueckfrage/", detail.QuestionView.as_view(), name="ticket-question"),
    path(
        "<int:pk>/foto/<int:attachment_id>/",
        detail.AttachmentView.as_view(),
        name="ticket-attachment",
    ),
    path("<int:pk>/duplikat/", detail.DuplicateView.as_view(), name="ticket-duplicate"),
]

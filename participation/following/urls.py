from django.urls import path

from portal.core.subscriptions.views import confirm_view, unsubscribe_view

from . import views
from .constants import PROJECT

app_name = "following"

urlpatterns = [
    path("", views.pool_subscribe_view, name="pool-subscribe"),
    path("bestaetigen/<str:code>/", views.pool_confirm_view, name="pool-confirm"),
    path("einstellungen/<str:code>/", views.pool_settings_view, name="pool-settings"),
    path("abmelden/<str:code>/", views.pool_unsubscribe_view, name="pool-unsubscribe"),
    path("vorhaben/<int:project_id>/folgen/", views.project_follow_view, name="follow-create"),
    # the kernel's pages at the addresses the e-mails have always linked to
    path(
        "vorhaben/bestaetigen/<str:code>/",
        confirm_view,
        {"kind": PROJECT},
        name="follow-confirm",
    ),
    path(
        "vorhaben/abmelden/<str:code>/",
        unsubscribe_view,
        {"kind": PROJECT},
        name="follow-unsubscribe",
    ),
]

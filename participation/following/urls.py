from django.urls import path

from . import views

app_name = "following"

urlpatterns = [
    path("", views.pool_subscribe_view, name="pool-subscribe"),
    path("bestaetigen/<str:code>/", views.pool_confirm_view, name="pool-confirm"),
    path("einstellungen/<str:code>/", views.pool_settings_view, name="pool-settings"),
    path("abmelden/<str:code>/", views.pool_unsubscribe_view, name="pool-unsubscribe"),
    path("vorhaben/<int:project_id>/folgen/", views.project_follow_view, name="follow-create"),
    path(
        "vorhaben/bestaetigen/<str:code>/",
        views.project_follow_confirm_view,
        name="follow-confirm",
    ),
    path(
        "vorhaben/abmelden/<str:code>/",
        views.project_follow_unsubscribe_view,
        name="follow-unsubscribe",
    ),
]

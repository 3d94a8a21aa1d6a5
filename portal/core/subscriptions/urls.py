from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("abmelden/<str:code>/", views.unsubscribe_view, name="unsubscribe"),
]

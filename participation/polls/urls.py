from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("<int:pk>/", views.poll_detail_view, name="poll-detail"),
    path("<int:pk>/antworten/", views.poll_answer_view, name="poll-answer"),
]

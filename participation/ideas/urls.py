"""The public pages of the Ideenpool, under /ideenpool/."""

from django.urls import path

from . import views
from .feeds import IdeaFeed

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list_view, name="list"),
    path("neu/", views.idea_submit_view, name="submit"),
    path("meine/", views.my_ideas_view, name="mine"),
    path("aehnlich/", views.idea_similar_view, name="similar"),
    path("feed/", IdeaFeed(), name="feed"),
    path("<int:pk>/", views.idea_detail_view, name="detail"),
    path("<int:pk>/unterstuetzen/", views.idea_support_view, name="support"),
    path("<int:pk>/zurueckziehen/", views.idea_withdraw_view, name="withdraw"),
    path("<int:pk>/kommentar/", views.idea_comment_view, name="comment"),
]

"""The public pages of ideas and comments, under /mitmachen/."""

from django.urls import path, register_converter

from . import views
from .constants import ContributionKind

app_name = "contributions"


class KindConverter:
    """`idee` or `kommentar`."""

    regex = "|".join(kind.value for kind in ContributionKind)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(KindConverter, "kind")

urlpatterns = [
    path("vorhaben/<int:project_id>/idee/", views.idea_create, name="idea-create"),
    path("vorhaben/<int:project_id>/kommentar/", views.comment_create, name="comment-create"),
    path("idee/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("idee/<int:pk>/unterstuetzen/", views.idea_support, name="idea-support"),
    path("idee/<int:pk>/kommentar/", views.idea_comment_create, name="idea-comment-create"),
    path("kommentar/<int:pk>/antworten/", views.comment_reply, name="comment-reply"),
    path("<kind:kind>/<int:pk>/bearbeiten/", views.contribution_edit, name="contribution-edit"),
    path("<kind:kind>/<int:pk>/loeschen/", views.contribution_delete, name="contribution-delete"),
    path("<kind:kind>/<int:pk>/melden/", views.contribution_report, name="contribution-report"),
]

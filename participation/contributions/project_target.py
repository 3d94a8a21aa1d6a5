"""The Vorhaben (ProjectPage) as a discussion target: its phases decide who may comment, its
department moderates, and every act of taking part counts for its statistics."""

from django.utils.translation import gettext_lazy as _

from participation.projects.constants import Module
from participation.projects.models import ProjectPage
from participation.projects.services import participation_record

from .targets import TargetKind


def _comment_refusal(user, project):
    from .selectors import participation_refusal

    return participation_refusal(user=user, project=project, module=Module.COMMENTS)


def _may_moderate(user, project) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("projects.moderate", project))


def _record(project, contribution) -> None:
    participation_record(project_id=project.pk, participant_key=contribution.participant_key())


PROJECT_TARGET = TargetKind(
    key="vorhaben",
    model=ProjectPage,
    label=_("Vorhaben"),
    title=lambda project: project.title,
    url=lambda project: project.get_url() or "",
    is_public=lambda project: ProjectPage.objects.live().public().filter(pk=project.pk).exists(),
    comment_refusal=_comment_refusal,
    may_moderate=_may_moderate,
    record=_record,
)

"""Staff decisions on an idea: its stage along STAGE_WORKFLOW and the Vorhaben it became."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.projects.models import ProjectPage
from portal.core.errors import ApplicationError

from ..constants import REASON_MAX, REASON_REQUIRED, STAGE_WORKFLOW, TICKET_STATUS, Stage, Step
from ..models import PoolIdea
from ..rules import allowed
from .base import IdeaRefused, _count
from .timeline import _step


def _lock(idea: PoolIdea) -> PoolIdea:
    return (
        PoolIdea.objects.select_for_update(of=("self",))
        .select_related("input__ticket", "input__author")
        .get(pk=idea.pk)
    )


def _require_handler(actor, idea: PoolIdea) -> None:
    if not allowed("ideas.handle", actor, idea):
        raise IdeaRefused(
            _("Diese Idee bearbeitet der zuständige Fachbereich oder das MitMachBüro.")
        )


STAGE_COUNTERS = {
    Stage.ADMISSIBLE: "admissible",
    Stage.IMPLEMENTATION: "implemented",
    Stage.ESTABLISHED: "established",
    Stage.INADMISSIBLE: "rejected",
    Stage.REJECTED: "rejected",
}


@transaction.atomic
def stage_change(*, actor, idea: PoolIdea, stage: str, public_text: str = "") -> PoolIdea:
    """Move the idea one step along STAGE_WORKFLOW. The stage is the public status of its ticket
    in the Ideenpool's words: one line of the ticket's timeline, with the public text, and an
    e-mail to the author and every supporter. The ticket's own status follows (TICKET_STATUS)."""
    idea = _lock(idea)
    _require_handler(actor, idea)
    STAGE_WORKFLOW.check(idea.stage, stage)
    public_text = (public_text or "").strip()
    if len(public_text) > REASON_MAX:
        raise ApplicationError(
            _("Bitte fassen Sie sich kürzer (höchstens %(n)s Zeichen).") % {"n": REASON_MAX},
            field="public_text",
        )
    if stage in REASON_REQUIRED and not public_text:
        raise ApplicationError(
            _("Bitte begründen Sie die Entscheidung; die Begründung wird mit der Idee "
              "veröffentlicht."),
            field="public_text",
        )  # fmt: skip
    now = timezone.now()
    idea.stage = stage
    idea.stage_changed_at = now
    idea.stage_reason = public_text if stage in REASON_REQUIRED else ""
    if idea.first_answer_at is None:
        idea.first_answer_at = now
    idea.save(update_fields=["stage", "stage_changed_at", "stage_reason", "first_answer_at"])
    if stage in STAGE_COUNTERS:
        _count(**{STAGE_COUNTERS[stage]: 1})
    _step(
        idea,
        public_status=stage,
        public_message=public_text,
        status=TICKET_STATUS[stage],
        actor=actor,
        internal_note=_("Ideenpool: %(stage)s") % {"stage": Stage(stage).label},
    )
    return idea


@transaction.atomic
def idea_link_project(*, actor, idea: PoolIdea, project: ProjectPage | None) -> PoolIdea:
    """Link an accepted idea to the Vorhaben it became (or remove the link)."""
    idea = _lock(idea)
    _require_handler(actor, idea)
    if project is not None and idea.stage in (Stage.INADMISSIBLE, Stage.REJECTED):
        raise ApplicationError(
            _("Eine nicht aufgenommene Idee kann nicht mit einem Vorhaben verknüpft werden."),
            field="project",
        )
    if (project.pk if project else None) == idea.became_id:
        return idea
    idea.became = project
    idea.save(update_fields=["became"])
    if project is not None:
        _step(
            idea,
            public_status=Step.PROJECT,
            public_message=_("Aus dieser Idee ist das Vorhaben „%(title)s“ geworden.")
            % {"title": project.title},
            actor=actor,
        )
    return idea

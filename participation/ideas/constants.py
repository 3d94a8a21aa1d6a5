"""The Ideenpool's lifecycle: stages in the cities' words, the one map of allowed moves, and how a
stage shows on the idea's ticket."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Workflow
from portal.tickets.constants import TicketStatus

SOURCE_KIND = "ideenpool"
TITLE_MAX = 120
TEXT_MAX = 4000
REASON_MAX = 2000
PAGE_SIZE = 20


class Stage(models.TextChoices):
    SUBMITTED = "eingereicht", _("eingereicht")
    ADMISSIBLE = "zulaessig", _("Vorprüfung: zulässig")
    INADMISSIBLE = "unzulaessig", _("Vorprüfung: unzulässig")
    ELABORATION = "konkretisierung", _("in Konkretisierung")
    REVIEW = "pruefung", _("in Prüfung")
    PRIORITISED = "priorisiert", _("priorisiert")
    PLANNING = "planung", _("in Planung")
    IMPLEMENTATION = "umsetzung", _("in Umsetzung")
    EVALUATED = "evaluiert", _("evaluiert")
    ESTABLISHED = "verstetigt", _("verstetigt")
    REJECTED = "nicht_aufgenommen", _("nicht aufgenommen")


# from → allowed to. Only services.stage_change moves an idea.
STAGE_WORKFLOW = Workflow(
    "idea_stage",
    {
        Stage.SUBMITTED: (Stage.ADMISSIBLE, Stage.INADMISSIBLE),
        Stage.ADMISSIBLE: (Stage.ELABORATION, Stage.REVIEW, Stage.REJECTED),
        Stage.ELABORATION: (Stage.REVIEW, Stage.REJECTED),
        Stage.REVIEW: (Stage.PRIORITISED, Stage.REJECTED),
        Stage.PRIORITISED: (Stage.PLANNING, Stage.REJECTED),
        Stage.PLANNING: (Stage.IMPLEMENTATION, Stage.REJECTED),
        Stage.IMPLEMENTATION: (Stage.EVALUATED, Stage.REJECTED),
        Stage.EVALUATED: (Stage.ESTABLISHED, Stage.REJECTED),
        Stage.ESTABLISHED: (),
        Stage.INADMISSIBLE: (),
        Stage.REJECTED: (),
    },
    states=Stage,
    message=_("Von „%(old)s“ kann die Idee nicht zu „%(new)s“ wechseln."),
    field="stage",
)

# a public reason is required: nothing is turned down silently (domain.md §2)
REASON_REQUIRED = frozenset({Stage.INADMISSIBLE, Stage.REJECTED})
# no more supports once the city has said no
CLOSED_FOR_SUPPORT = frozenset({Stage.INADMISSIBLE, Stage.REJECTED})
# stages in which an idea counts as implemented (the KPI "umgesetzte Vorschläge")
IMPLEMENTED = frozenset({Stage.IMPLEMENTATION, Stage.EVALUATED, Stage.ESTABLISHED})

# the idea's ticket follows the stage (public labels of the Anliegen vocabulary)
TICKET_STATUS = {
    Stage.SUBMITTED: TicketStatus.RECEIVED,
    Stage.ADMISSIBLE: TicketStatus.IN_REVIEW,
    Stage.ELABORATION: TicketStatus.IN_REVIEW,
    Stage.REVIEW: TicketStatus.IN_REVIEW,
    Stage.PRIORITISED: TicketStatus.IN_REVIEW,
    Stage.PLANNING: TicketStatus.IN_PROGRESS,
    Stage.IMPLEMENTATION: TicketStatus.IN_PROGRESS,
    Stage.EVALUATED: TicketStatus.IN_PROGRESS,
    Stage.ESTABLISHED: TicketStatus.DONE,
    Stage.INADMISSIBLE: TicketStatus.NOT_FEASIBLE,
    Stage.REJECTED: TicketStatus.NOT_FEASIBLE,
}

# the public list's filter groups ("stufe=")
STAGE_ORDER = [
    Stage.SUBMITTED,
    Stage.ADMISSIBLE,
    Stage.ELABORATION,
    Stage.REVIEW,
    Stage.PRIORITISED,
    Stage.PLANNING,
    Stage.IMPLEMENTATION,
    Stage.EVALUATED,
    Stage.ESTABLISHED,
    Stage.INADMISSIBLE,
    Stage.REJECTED,
]


class Step(models.TextChoices):
    """Public steps of an idea that move no stage. Like a stage, each is a line of the idea's one
    timeline, its ticket's (`TicketEvent.public_status`)."""

    QUORUM = "quorum", _("Quorum erreicht")
    QUORUM_LOST = "quorum_verloren", _("Quorum wieder unterschritten")
    PROJECT = "vorhaben", _("mit einem Vorhaben verknüpft")


# the labels of the idea's own lines on its ticket's timeline (portal.tickets.sources): its stages
# are the source-specific public statuses of the ticket, its steps are named as well
PUBLIC_STATUS_LABELS = {
    **{stage.value: stage.label for stage in Stage},
    Stage.SUBMITTED.value: _("Idee eingereicht"),
    **{step.value: step.label for step in Step},
}
# a department's public answer on the idea's ticket (its own line, with the ticket's vocabulary)
ANSWER_LABEL = _("Antwort der Verwaltung")


class Sort(models.TextChoices):
    NEWEST = "neueste", _("neueste zuerst")
    SUPPORTED = "unterstuetzt", _("meiste Unterstützungen")
    ENDING = "endet_bald", _("Frist endet bald")

"""The Ideenpool's lifecycle: stages in the cities' words, the one map of allowed moves, and how a
stage shows on the idea's ticket."""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
TRANSITIONS: dict[str, tuple[str, ...]] = {
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
}

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


class EventKind(models.TextChoices):
    SUBMITTED = "eingereicht", _("Idee eingereicht")
    STAGE = "stufe", _("neue Stufe")
    ANSWER = "antwort", _("Antwort der Verwaltung")
    QUORUM = "quorum", _("Quorum erreicht")
    QUORUM_LOST = "quorum_verloren", _("Quorum wieder unterschritten")
    PROJECT = "vorhaben", _("mit einem Vorhaben verknüpft")


class Sort(models.TextChoices):
    NEWEST = "neueste", _("neueste zuerst")
    SUPPORTED = "unterstuetzt", _("meiste Unterstützungen")
    ENDING = "endet_bald", _("Frist endet bald")

"""The ticket workflow: statuses, their public labels and the one map of allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.workflow import Workflow


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    API = "api", _("Schnittstelle (App)")
    MITMACHBUERO = "mitmachbuero", _("MitMachBüro")
    PHONE = "telefon", _("Telefon")
    LETTER = "brief", _("Brief")
    EMAIL = "email", _("E-Mail")
    COUNTER = "schalter", _("Bürgerbüro / Schalter")


# the channels staff enter an Anliegen for (services/reports/admin_views.py, "Anliegen erfassen")
STAFF_CHANNELS = (
    Channel.PHONE,
    Channel.LETTER,
    Channel.EMAIL,
    Channel.COUNTER,
    Channel.MITMACHBUERO,
)


class TicketStatus(models.TextChoices):
    RECEIVED = "eingegangen", _("eingegangen")
    IN_REVIEW = "in_pruefung", _("in Prüfung")
    IN_PROGRESS = "in_bearbeitung", _("in Bearbeitung")
    DONE = "erledigt", _("erledigt")
    NOT_FEASIBLE = "nicht_umsetzbar", _("abgeschlossen – nicht umsetzbar")
    DUPLICATE = "duplikat", _("Duplikat")
    FORWARDED = "weitergeleitet", _("weitergeleitet an externe Stelle")
    # the department asked the citizen a question and waits for the answer; the SLA clock pauses
    # (the citizen's own status page says "Rückfrage an Sie": Ticket.citizen_status_label)
    WAITING = "rueckfrage", _("Rückfrage – wartet auf Antwort")


OPEN_STATUSES = frozenset(
    {
        TicketStatus.RECEIVED,
        TicketStatus.IN_REVIEW,
        TicketStatus.IN_PROGRESS,
        TicketStatus.WAITING,
    }
)
CLOSED_STATUSES = frozenset(set(TicketStatus) - OPEN_STATUSES)

# from → allowed to. Closing states can be reopened into review, nothing else. A question to the
# citizen (WAITING) ends with their answer (back to where it was asked) or a closing.
TICKET_WORKFLOW = Workflow(
    "ticket",
    {
        TicketStatus.RECEIVED: frozenset(
            {
                TicketStatus.IN_REVIEW,
                TicketStatus.IN_PROGRESS,
                TicketStatus.WAITING,
                TicketStatus.DONE,
                TicketStatus.NOT_FEASIBLE,
                TicketStatus.DUPLICATE,
                TicketStatus.FORWARDED,
            }
        ),
        TicketStatus.IN_REVIEW: frozenset(
            {
                TicketStatus.IN_PROGRESS,
                TicketStatus.WAITING,
                TicketStatus.DONE,
                TicketStatus.NOT_FEASIBLE,
                TicketStatus.DUPLICATE,
                TicketStatus.FORWARDED,
            }
        ),
        TicketStatus.IN_PROGRESS: frozenset(
            {
                TicketStatus.IN_REVIEW,
                TicketStatus.WAITING,
                TicketStatus.DONE,
                TicketStatus.NOT_FEASIBLE,
                TicketStatus.DUPLICATE,
                TicketStatus.FORWARDED,
            }
        ),
        TicketStatus.WAITING: frozenset(
            {
                TicketStatus.IN_REVIEW,
                TicketStatus.IN_PROGRESS,
                TicketStatus.DONE,
                TicketStatus.NOT_FEASIBLE,
                TicketStatus.DUPLICATE,
                TicketStatus.FORWARDED,
            }
        ),
        TicketStatus.DONE: frozenset({TicketStatus.IN_REVIEW}),
        TicketStatus.NOT_FEASIBLE: frozenset({TicketStatus.IN_REVIEW}),
        TicketStatus.DUPLICATE: frozenset({TicketStatus.IN_REVIEW}),
        TicketStatus.FORWARDED: frozenset({TicketStatus.IN_REVIEW}),
    },
    states=TicketStatus,
    field="status",
)

# statuses that need a public reason, so that nothing is closed silently
REASON_REQUIRED = frozenset({TicketStatus.NOT_FEASIBLE, TicketStatus.FORWARDED})


class TrafficLight(models.TextChoices):
    RED = "rot", _("neu")
    YELLOW = "gelb", _("in Arbeit")
    GREEN = "gruen", _("erledigt")
    GREY = "grau", _("abgeschlossen")


TRAFFIC_LIGHT = {
    TicketStatus.RECEIVED: TrafficLight.RED,
    TicketStatus.IN_REVIEW: TrafficLight.YELLOW,
    TicketStatus.IN_PROGRESS: TrafficLight.YELLOW,
    TicketStatus.WAITING: TrafficLight.YELLOW,
    TicketStatus.DONE: TrafficLight.GREEN,
    TicketStatus.NOT_FEASIBLE: TrafficLight.GREY,
    TicketStatus.DUPLICATE: TrafficLight.GREY,
    TicketStatus.FORWARDED: TrafficLight.GREY,
}


class RoutingState(models.TextChoices):
    PENDING = "pending", _("wartet auf Zuordnung")
    ROUTED = "routed", _("zugeordnet")
    FAILED = "failed", _("Zuordnung fehlgeschlagen")


class EventKind(models.TextChoices):
    CREATED = "created", _("eingegangen")
    ROUTED = "routed", _("zugeordnet")
    ACCEPTED = "accepted", _("Zuständigkeit übernommen")
    HANDED_OVER = "handed_over", _("abgegeben")
    ASSIGNED = "assigned", _("zugewiesen")
    STATUS = "status", _("Status geändert")
    NOTE = "note", _("interne Notiz")
    DUPLICATE = "duplicate", _("als Duplikat markiert")
    # a public step of the ticket's source that moves no status (an idea reached its quorum …)
    STEP = "step", _("Schritt der Herkunft")
    # the dialogue with the citizen (services/dialogue.py)
    QUESTION = "question", _("Rückfrage an Bürger*in")
    ANSWER = "answer", _("Antwort von Bürger*in")
    REOPENED = "reopened", _("von Bürger*in wieder geöffnet: nicht behoben")
    NO_ANSWER = "no_answer", _("ohne Antwort auf die Rückfrage abgeschlossen")


# lines of the timeline the citizen and the public see even without a public message
PUBLIC_EVENT_KINDS = frozenset(
    {
        EventKind.CREATED,
        EventKind.STATUS,
        EventKind.QUESTION,
        EventKind.ANSWER,
        EventKind.REOPENED,
        EventKind.NO_ANSWER,
    }
)


class PublishMode(models.TextChoices):
    IMMEDIATE = "sofort", _("sofort veröffentlichen")
    AFTER_REVIEW = "nach_pruefung", _("nach Prüfung veröffentlichen")


class CategoryKind(models.TextChoices):
    """Where a category is offered: citizens pick report categories themselves; application
    categories come with a service form, idea categories with the Ideenpool; neither appears in
    the Mängelmelder or Open311."""

    REPORT = "meldung", _("Meldungen und Anliegen")
    APPLICATION = "antrag", _("Online-Anträge")
    IDEA = "idee", _("Ideen aus dem Ideenpool")


class NotificationKind(models.TextChoices):
    RECEIPT = "receipt", _("Eingangsbestätigung")
    STATUS = "status", _("Statusänderung an Bürger*in")
    DEPARTMENT_NEW = "department_new", _("neues Anliegen an Fachbereich")
    DEPARTMENT_DIGEST = "department_digest", _("Tagesübersicht an Fachbereich")
    QUESTION_REMINDER = "question_reminder", _("Erinnerung an eine Rückfrage")
    DEPARTMENT_CITIZEN = "department_citizen", _("Antwort oder Einspruch an Fachbereich")

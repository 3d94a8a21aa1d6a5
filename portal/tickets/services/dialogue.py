"""The dialogue with the citizen after they sent their concern: a question of the department and
its answer (the SLA clock stands still meanwhile), "nicht behoben" after the closing, and how
satisfied they are. The citizen acts through their status link or their account."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError
from portal.core.models import OutboxMessage

from ..constants import EventKind, NotificationKind, TicketStatus
from ..models import Ticket, TicketAttachment, TicketEvent, TicketFeedback
from ..sla import add_working_days
from .base import _citizen_reachable, _notify, _notify_citizen, ticket_event_record
from .work import _lock, _require_routed, _set_status

TEXT_MAX = 4000
COMMENT_MAX = 2000


def _clean_text(text: str, *, field: str, missing: str) -> str:
    text = text.strip()
    if not text:
        raise ApplicationError(missing, field=field)
    if len(text) > TEXT_MAX:
        raise ApplicationError(
            _("Bitte fassen Sie sich kürzer: höchstens %(n)s Zeichen.") % {"n": TEXT_MAX},
            field=field,
        )
    return text


# --- the department asks --------------------------------------------------------------------------
@transaction.atomic
def ticket_ask_citizen(*, ticket: Ticket, actor, question: str, public: bool = False) -> Ticket:
    """Ask the citizen a question and wait for the answer ("Rückfrage an Sie"). A public question
    is shown with the concern wherever it is public; a private one only on the citizen's status
    page and in their e-mail."""
    ticket = _lock(ticket)
    _require_routed(ticket)
    question = _clean_text(question, field="question", missing=_("Bitte schreiben Sie Ihre Frage."))
    if not _citizen_reachable(ticket):
        raise ApplicationError(
            _("Zu diesem Anliegen gibt es keine E-Mail-Adresse: die Person erfährt von der "
              "Rückfrage nichts. Bitte fragen Sie auf dem Weg nach, auf dem sie sich gemeldet "
              "hat, und halten Sie die Antwort als Notiz fest."),
            field="question",
        )  # fmt: skip
    if ticket.status == TicketStatus.WAITING:
        raise ApplicationError(_("Eine Rückfrage wartet bereits auf Antwort."), field="question")
    old = _set_status(ticket, TicketStatus.WAITING)
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        actor=actor,
        kind=EventKind.QUESTION,
        from_status=old,
        to_status=TicketStatus.WAITING,
        public_message=question if public else "",
        citizen_message="" if public else question,
    )
    _notify_citizen(ticket, event)
    return ticket


def _open_question(ticket: Ticket) -> TicketEvent | None:
    return ticket.events.filter(kind=EventKind.QUESTION).order_by("-created_at", "-pk").first()


# --- the citizen answers --------------------------------------------------------------------------
@transaction.atomic
def ticket_answer(*, ticket: Ticket, text: str, photo=None) -> Ticket:
    """The citizen's answer (with a photo, already cleaned by images.clean_photo): it lands in the
    timeline, the ticket goes back to where it was when asked, the clock runs again, and the
    department is told. Refused once the question is answered (a second click, an old link)."""
    ticket = _lock(ticket)
    if ticket.status != TicketStatus.WAITING:
        raise ApplicationError(
            _("Zu diesem Anliegen gibt es keine offene Rückfrage (mehr). Ihre Antwort ist "
              "vielleicht schon angekommen: sie steht dann im Verlauf.")
        )  # fmt: skip
    text = _clean_text(text, field="text", missing=_("Bitte schreiben Sie Ihre Antwort."))
    question = _open_question(ticket)
    back_to = question.from_status if question is not None else ""
    if back_to not in (TicketStatus.IN_REVIEW, TicketStatus.IN_PROGRESS):
        back_to = TicketStatus.IN_REVIEW
    _set_status(ticket, back_to)
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        kind=EventKind.ANSWER,
        from_status=TicketStatus.WAITING,
        to_status=back_to,
        citizen_message=text,
    )
    if photo is not None:
        from portal.core.images import stored_name

        TicketAttachment.objects.create(
            ticket=ticket,
            event=event,
            image=ContentFile(photo.content, name=stored_name(photo.extension)),
            width=photo.width,
            height=photo.height,
        )
    _tell_department(ticket, event)
    return ticket


def _tell_department(ticket: Ticket, event: TicketEvent) -> None:
    if ticket.department_id and ticket.department.email:
        _notify(
            key=f"{NotificationKind.DEPARTMENT_CITIZEN}:{event.pk}",
            kind=NotificationKind.DEPARTMENT_CITIZEN,
            ticket=ticket,
            event=event,
            department=ticket.department,
        )


# --- "nicht behoben" ------------------------------------------------------------------------------
def reopen_until(ticket: Ticket) -> datetime.datetime | None:
    """Until when the citizen may say "nicht behoben" (None: not now)."""
    if ticket.status != TicketStatus.DONE or ticket.closed_at is None:
        return None
    until = ticket.closed_at + datetime.timedelta(days=settings.TICKETS_REOPEN_WITHIN_DAYS)
    return until if timezone.now() <= until else None


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, reason: str) -> Ticket:
    """The citizen says the concern is not fixed: it reopens with the same department, in
    review, with a new due date, and the department hears why."""
    ticket = _lock(ticket)
    if reopen_until(ticket) is None:
        raise ApplicationError(
            _("Dieses Anliegen kann nicht mehr wieder geöffnet werden. Bitte melden Sie sich "
              "mit einem neuen Anliegen und nennen Sie darin die Vorgangsnummer %(number)s.")
            % {"number": ticket.number}
        )  # fmt: skip
    reason = _clean_text(
        reason, field="reason", missing=_("Bitte beschreiben Sie, was noch nicht behoben ist.")
    )
    old = _set_status(ticket, TicketStatus.IN_REVIEW)
    ticket.status_reason = ""
    ticket.due_date = add_working_days(timezone.localdate(), ticket.category.sla_days)
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        kind=EventKind.REOPENED,
        from_status=old,
        to_status=TicketStatus.IN_REVIEW,
        citizen_message=reason,
    )
    _tell_department(ticket, event)
    return ticket


# --- satisfaction ---------------------------------------------------------------------------------
@transaction.atomic
def ticket_feedback(*, ticket: Ticket, rating: int, comment: str = "") -> TicketFeedback:
    """How satisfied the citizen is with a closed concern (1–5, a comment); asked again, the
    newer answer counts."""
    ticket = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if not ticket.is_closed:
        raise ApplicationError(_("Eine Bewertung ist nach dem Abschluss möglich."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ApplicationError(_("Bitte wählen Sie eine Bewertung von 1 bis 5."), field="rating")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            _("Bitte fassen Sie sich kürzer: höchstens %(n)s Zeichen.") % {"n": COMMENT_MAX},
            field="comment",
        )
    feedback, _created = TicketFeedback.objects.update_or_create(
        ticket=ticket, defaults={"rating": rating, "comment": comment}
    )
    return feedback


# --- no answer ------------------------------------------------------------------------------------
def _working_days_waited(since: datetime.datetime, today: datetime.date) -> int:
    from ..sla import working_days_between

    return working_days_between(timezone.localdate(since), today)


def ticket_questions_due() -> dict[str, int]:
    """The daily round over unanswered questions: after TICKETS_QUESTION_REMIND_DAYS working days
    a reminder (once), after TICKETS_QUESTION_CLOSE_DAYS a documented closing."""
    today = timezone.localdate()
    remind_after = settings.TICKETS_QUESTION_REMIND_DAYS
    close_after = settings.TICKETS_QUESTION_CLOSE_DAYS
    done = {"reminded": 0, "closed": 0}
    waiting = Ticket.objects.filter(
        status=TicketStatus.WAITING, waiting_since__isnull=False
    ).values_list("pk", "waiting_since")
    for ticket_id, since in waiting.iterator(chunk_size=500):
        waited = _working_days_waited(since, today)
        if waited >= close_after:
            done["closed"] += _close_unanswered(ticket_id)
        elif waited >= remind_after:
            done["reminded"] += _remind(ticket_id)
    return done


@transaction.atomic
def _remind(ticket_id: int) -> int:
    ticket = Ticket.objects.select_related("citizen").get(pk=ticket_id)
    question = _open_question(ticket)
    if question is None or not _citizen_reachable(ticket):
        return 0
    key = f"{NotificationKind.QUESTION_REMINDER}:{question.pk}"
    if OutboxMessage.objects.filter(key=f"tickets.{key}").exists():
        return 0  # reminded once already
    _notify(key=key, kind=NotificationKind.QUESTION_REMINDER, ticket=ticket, event=question)
    return 1


@transaction.atomic
def _close_unanswered(ticket_id: int) -> int:
    ticket = _lock(Ticket(pk=ticket_id))
    if ticket.status != TicketStatus.WAITING:
        return 0
    question = _open_question(ticket)
    asked = timezone.localdate(question.created_at) if question else timezone.localdate()
    message = _(
        "Auf unsere Rückfrage vom %(date)s haben wir keine Antwort erhalten. Ohne diese Angaben "
        "können wir Ihr Anliegen nicht weiter bearbeiten und schließen es. Sie können sich "
        "jederzeit mit einem neuen Anliegen melden und dabei die Vorgangsnummer %(number)s nennen."
    ) % {"date": f"{asked:%d.%m.%Y}", "number": ticket.number}
    old = _set_status(ticket, TicketStatus.NOT_FEASIBLE)
    ticket.status_reason = message
    ticket.save()
    event = ticket_event_record(
        ticket=ticket,
        kind=EventKind.NO_ANSWER,
        from_status=old,
        to_status=TicketStatus.NOT_FEASIBLE,
        public_message=message,
    )
    _notify_citizen(ticket, event)
    return 1

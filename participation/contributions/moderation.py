"""Writes of moderators and MitMachBüro staff: hide, restore, block, hand an idea or comment to a
department as an Anliegen, and enter offline input. Every decision is written to the append-only
ModerationLog; whoever a decision concerns is told why by e-mail (sent by the worker)."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.models import ParticipationBlock, ProjectPage
from participation.projects.services import participation_record
from portal.core import doorbell
from portal.core.errors import ApplicationError
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category, Ticket
from portal.tickets.services import RELAY_BATCH, ticket_open

from .constants import (
    REASON_MAX,
    SOURCE_KIND,
    TICKET_CHANNEL,
    TITLE_MAX,
    ContributionKind,
    ModerationAction,
    ModerationState,
)
from .models import Comment, Idea, ModerationLog, ModerationNotice
from .services import (
    ContributionRefused,
    _clean_text,
    lock,
    reports_resolve,
    set_state,
)

logger = logging.getLogger(__name__)

NOTICE_RELAY_AFTER = timedelta(minutes=2)


# --- the doorbell for e-mails (portal.core.doorbell) ----------------------------------------------
def _task(task_name: str):
    from . import tasks

    return getattr(tasks, task_name)


def _notice_enqueue_on_commit(notice_id: int) -> None:
    doorbell.ring_on_commit(partial(_task, "moderation_notice_send_task"), notice_id)


# --- helpers --------------------------------------------------------------------------------------
def _require_moderator(actor, project: ProjectPage) -> None:
    if not (actor and actor.has_perm("projects.moderate", project)):
        raise ContributionRefused(_("Sie dürfen in diesem Vorhaben nicht moderieren."))


def _target(contribution) -> dict:
    return {"idea" if isinstance(contribution, Idea) else "comment": contribution}


def _log(
    *, action: str, actor, project_id: int | None, contribution=None, user=None, reason: str = ""
) -> ModerationLog:
    return ModerationLog.objects.create(
        project_id=project_id,
        actor=actor,
        user=user,
        action=action,
        reason=reason,
        target_label=str(contribution) if contribution is not None else "",
        **(_target(contribution) if contribution is not None else {}),
    )


def _notify(log: ModerationLog, recipient) -> ModerationNotice | None:
    """The e-mail a decision owes `recipient`, sent after commit (never by this request)."""
    if recipient is None or not recipient.email or not recipient.is_active:
        return None
    notice = ModerationNotice.objects.create(log=log, recipient=recipient)
    _notice_enqueue_on_commit(notice.pk)
    return notice


def _clean_reason(reason: str) -> str:
    return _clean_text(
        reason,
        message=_("Bitte nennen Sie einen Grund; die Verfasserin oder der Verfasser erfährt ihn."),
        field="reason",
        limit=REASON_MAX,
    )


# --- decisions on a contribution ------------------------------------------------------------------
@transaction.atomic
def contribution_hide(*, actor, contribution, reason: str):
    """Hide with a reason: publicly a placeholder with the reason, the author gets an e-mail.
    Also the decision on a contribution that reports had hidden ("confirm")."""
    contribution = lock(contribution)
    _require_moderator(actor, contribution.project)
    reason = _clean_reason(reason)
    if contribution.state not in (ModerationState.VISIBLE, ModerationState.AUTO_HIDDEN):
        raise ApplicationError(_("Dieser Beitrag ist bereits ausgeblendet oder gelöscht."))
    set_state(contribution, ModerationState.HIDDEN)
    contribution.moderation_reason = reason
    reports_resolve(contribution)
    contribution.save(
        update_fields=["state", "state_changed_at", "moderation_reason", "open_report_count"]
    )
    log = _log(
        action=ModerationAction.HIDDEN,
        actor=actor,
        project_id=contribution.project_id,
        contribution=contribution,
        user=contribution.author,
        reason=reason,
    )
    if not contribution.is_offline:
        _notify(log, contribution.author)
    return contribution


@transaction.atomic
def contribution_restore(*, actor, contribution, note: str = ""):
    """Show it (again): after an auto-hide or a hide, or to dismiss reports on a visible one."""
    contribution = lock(contribution)
    _require_moderator(actor, contribution.project)
    if contribution.state == ModerationState.DELETED:
        raise ApplicationError(_("Gelöschte Beiträge können nicht wiederhergestellt werden."))
    if contribution.state == ModerationState.VISIBLE:
        if not contribution.open_report_count:
            raise ApplicationError(_("Dieser Beitrag ist sichtbar und nicht gemeldet."))
        action = ModerationAction.REPORTS_DISMISSED
    else:
        set_state(contribution, ModerationState.VISIBLE)
        action = ModerationAction.RESTORED
    contribution.moderation_reason = ""
    reports_resolve(contribution)
    contribution.save(
        update_fields=["state", "state_changed_at", "moderation_reason", "open_report_count"]
    )
    _log(
        action=action,
        actor=actor,
        project_id=contribution.project_id,
        contribution=contribution,
        user=contribution.author,
        reason=(note or "").strip()[:REASON_MAX],
    )
    return contribution


# --- blocking people ------------------------------------------------------------------------------
@transaction.atomic
def participant_block(
    *, actor, project: ProjectPage, user, reason: str, until=None
) -> ParticipationBlock:
    """Block a person from taking part (in every project) until a date or for good; they are
    told why. Blocking again replaces the reason and the end."""
    _require_moderator(actor, project)
    reason = _clean_reason(reason)
    if user is None:
        raise ApplicationError(_("Dieser Beitrag hat kein Konto, das gesperrt werden kann."))
    if user.pk == actor.pk:
        raise ApplicationError(_("Sie können sich nicht selbst sperren."))
    if until is not None and until <= timezone.now():
        raise ApplicationError(_("Das Ende der Sperre muss in der Zukunft liegen."), field="until")
    block, _created = ParticipationBlock.objects.update_or_create(
        user=user,
        defaults={
            "reason": reason,
            "until": until,
            "created_by": actor,
            "created_at": timezone.now(),
        },
    )
    log = _log(
        action=ModerationAction.USER_BLOCKED,
        actor=actor,
        project_id=project.pk,
        user=user,
        reason=reason,
    )
    _notify(log, user)
    return block


@transaction.atomic
def participant_unblock(*, actor, project: ProjectPage, user, note: str = "") -> bool:
    _require_moderator(actor, project)
    deleted, _details = ParticipationBlock.objects.filter(user=user).delete()
    if not deleted:
        raise ApplicationError(_("Diese Person ist nicht gesperrt."))
    _log(
        action=ModerationAction.USER_UNBLOCKED,
        actor=actor,
        project_id=project.pk,
        user=user,
        reason=(note or "").strip()[:REASON_MAX],
    )
    return True


# --- from contribution to department --------------------------------------------------------------
def _ticket_summary(contribution) -> str:
    project_title = contribution.project.title
    if isinstance(contribution, Idea):
        return _("Idee aus dem Vorhaben „%(project)s“: %(title)s\n\n%(text)s") % {
            "project": project_title,
            "title": contribution.title,
            "text": contribution.text,
        }
    return _("Kommentar aus dem Vorhaben „%(project)s“:\n\n%(text)s") % {
        "project": project_title,
        "text": contribution.text,
    }


@transaction.atomic
def contribution_to_ticket(*, actor, contribution, category: Category) -> tuple[Ticket, bool]:
    """ "Als Anliegen weitergeben": open a ticket for the department, linked both ways. Once: a
    second call returns the existing ticket and `False`."""
    contribution = lock(contribution)
    _require_moderator(actor, contribution.project)
    if contribution.ticket_id is not None:
        return Ticket.objects.get(pk=contribution.ticket_id), False
    if contribution.state == ModerationState.DELETED:
        raise ApplicationError(_("Ein gelöschter Beitrag kann nicht weitergegeben werden."))
    if category is None or not category.is_active or category.kind != CategoryKind.REPORT:
        raise ApplicationError(_("Bitte wählen Sie eine Kategorie für Anliegen."), field="category")
    location = {}
    if isinstance(contribution, Idea):
        location = {
            "latitude": contribution.latitude,
            "longitude": contribution.longitude,
            "address": contribution.address,
            "district": contribution.district,
        }
    ticket = ticket_open(
        source=contribution,
        source_kind=SOURCE_KIND,
        category=category,
        summary=_ticket_summary(contribution),
        channel=TICKET_CHANNEL.get(contribution.channel, "online"),
        citizen=None if contribution.is_offline else contribution.author,
        actor=actor,
        **location,
    )
    contribution.ticket = ticket
    contribution.save(update_fields=["ticket"])
    _log(
        action=ModerationAction.TICKET_OPENED,
        actor=actor,
        project_id=contribution.project_id,
        contribution=contribution,
        reason=_("Anliegen %(number)s, Kategorie „%(category)s“")
        % {"number": ticket.number, "category": category.name},
    )
    return ticket, True


# --- offline input (MitMachBüro) ------------------------------------------------------------------
@transaction.atomic
def offline_contribution_enter(
    *,
    actor,
    project: ProjectPage,
    kind: str,
    channel: str,
    text: str,
    title: str = "",
    idea: Idea | None = None,
    citizen_name: str = "",
):
    """Staff enter an idea or a comment that reached the city offline, in any phase. It is shown
    marked with its channel; the name is for staff only. Each entry counts as one offline
    participant."""
    if not (actor and actor.has_perm("projects.add_offline_contribution", project)):
        raise ContributionRefused(_("Sie dürfen für dieses Vorhaben keine Beiträge erfassen."))
    if channel not in OFFLINE_CHANNELS:
        raise ApplicationError(
            _("Bitte wählen Sie, wie der Beitrag eingegangen ist."), field="channel"
        )
    common = {
        "project": project,
        "phase": project.phase_at(),
        "author": None,
        "channel": ContributionChannel(channel),
        "text": _clean_text(text, message=_("Bitte geben Sie den Text des Beitrags ein.")),
        "offline_name": (citizen_name or "").strip()[:150],
        "entered_by": actor,
    }
    if kind == ContributionKind.IDEA:
        title = _clean_text(
            title,
            message=_("Bitte geben Sie der Idee einen Titel."),
            field="title",
            limit=TITLE_MAX,
        )
        contribution = Idea.objects.create(title=title, **common)
    elif kind == ContributionKind.COMMENT:
        if idea is not None and idea.project_id != project.pk:
            raise ApplicationError(_("Die Idee gehört nicht zu diesem Vorhaben."), field="idea")
        contribution = Comment.objects.create(idea=idea, **common)
    else:
        raise ApplicationError(_("Bitte wählen Sie Idee oder Kommentar."), field="kind")
    participation_record(
        project_id=project.pk,
        participant_key=contribution.participant_key(),
        channel=channel,
    )
    _log(
        action=ModerationAction.OFFLINE_ENTERED,
        actor=actor,
        project_id=project.pk,
        contribution=contribution,
        reason=ContributionChannel(channel).label,
    )
    return contribution


# --- e-mails --------------------------------------------------------------------------------------
def moderation_notice_send(*, notice_id: int) -> bool:
    """Send the e-mail of one decision, once. Returns whether an e-mail went out."""
    from .emails import notice_message

    with transaction.atomic():
        notice = (
            ModerationNotice.objects.select_for_update(of=("self",))
            .select_related("log__project", "log__idea", "log__comment", "recipient")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.sent_at is not None:
            return False
        # sent inside the row lock: a second delivery of the task waits and then finds it done
        notice_message(notice).send()
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


def moderation_notice_relay() -> int:
    """Ring again for e-mails not sent after a few minutes (the broker was down)."""
    from .selectors import notice_pending_for_relay

    ids = list(
        notice_pending_for_relay(older_than=NOTICE_RELAY_AFTER).values_list("pk", flat=True)[
            :RELAY_BATCH
        ]
    )
    for notice_id in ids:
        doorbell.ring(_task("moderation_notice_send_task"), notice_id)
    return len(ids)

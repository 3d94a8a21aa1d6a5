"""Writes of moderators and MitMachBüro staff: hide, restore, block, hand an idea or comment to a
department as an Anliegen, and enter offline input. Every decision is written to the append-only
ModerationLog; whoever a decision concerns is told why by e-mail (sent by the worker)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.models import ParticipationBlock, ProjectPage
from participation.projects.services import participation_record
from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.core.models import OutboxMessage
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category, Ticket
from portal.tickets.services import ticket_open

from .constants import (
    MODERATION_WORKFLOW,
    REASON_MAX,
    SOURCE_KIND,
    TICKET_CHANNEL,
    TITLE_MAX,
    ContributionKind,
    ModerationAction,
    ModerationState,
)
from .models import Comment, Idea, ModerationLog
from .services import (
    ContributionRefused,
    _clean_text,
    lock,
    reports_resolve,
    set_state,
)
from .targets import kind_for

logger = logging.getLogger(__name__)


# --- helpers --------------------------------------------------------------------------------------
def _require_moderator(actor, target) -> None:
    """`target` is the discussion target (a project, a pool idea); its kind decides."""
    if not kind_for(target).may_moderate(actor, target):
        raise ContributionRefused(_("Sie dürfen diese Diskussion nicht moderieren."))


def _about(contribution) -> dict:
    return {"idea" if isinstance(contribution, Idea) else "comment": contribution}


def _log(
    *, action: str, actor, target, contribution=None, user=None, reason: str = ""
) -> ModerationLog:
    return ModerationLog.objects.create(
        target=target,
        actor=actor,
        user=user,
        action=action,
        reason=reason,
        target_label=str(contribution) if contribution is not None else "",
        **(_about(contribution) if contribution is not None else {}),
    )


def _notify(log: ModerationLog, recipient) -> OutboxMessage | None:
    """The e-mail a decision owes `recipient`, owed in the kernel's outbox (emails.py) and sent
    after commit by its worker, never by this request."""
    from .emails import NOTICE_KIND, TEMPLATES

    if recipient is None or not recipient.email or not recipient.is_active:
        return None
    return outbox.owe(
        f"{NOTICE_KIND}:{log.pk}",
        kind=NOTICE_KIND,
        recipient=recipient.email,
        template=f"emails/contributions/{TEMPLATES[log.action]}",
        context={"log": log.pk},
    )


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
    _require_moderator(actor, contribution.target)
    reason = _clean_reason(reason)
    MODERATION_WORKFLOW.check(
        contribution.state,
        ModerationState.HIDDEN,
        message=_("Dieser Beitrag ist bereits ausgeblendet oder gelöscht."),
    )
    set_state(contribution, ModerationState.HIDDEN)
    contribution.moderation_reason = reason
    reports_resolve(contribution)
    contribution.save(
        update_fields=["state", "state_changed_at", "moderation_reason", "open_report_count"]
    )
    log = _log(
        action=ModerationAction.HIDDEN,
        actor=actor,
        target=contribution.target,
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
    _require_moderator(actor, contribution.target)
    if contribution.state == ModerationState.VISIBLE and contribution.open_report_count:
        # visible and reported: restoring dismisses the reports, the state stays
        action = ModerationAction.REPORTS_DISMISSED
    else:
        MODERATION_WORKFLOW.check(
            contribution.state,
            ModerationState.VISIBLE,
            message=_("Gelöschte Beiträge können nicht wiederhergestellt werden.")
            if contribution.state == ModerationState.DELETED
            else _("Dieser Beitrag ist sichtbar und nicht gemeldet."),
        )
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
        target=contribution.target,
        contribution=contribution,
        user=contribution.author,
        reason=(note or "").strip()[:REASON_MAX],
    )
    return contribution


# --- blocking people ------------------------------------------------------------------------------
@transaction.atomic
def participant_block(*, actor, target, user, reason: str, until=None) -> ParticipationBlock:
    """Block a person from taking part (in every discussion) until a date or for good, decided
    by a moderator of `target` (where the person wrote); they are told why. Blocking again
    replaces the reason and the end."""
    _require_moderator(actor, target)
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
        target=target,
        user=user,
        reason=reason,
    )
    _notify(log, user)
    return block


@transaction.atomic
def participant_unblock(*, actor, target, user, note: str = "") -> bool:
    _require_moderator(actor, target)
    deleted, _details = ParticipationBlock.objects.filter(user=user).delete()
    if not deleted:
        raise ApplicationError(_("Diese Person ist nicht gesperrt."))
    _log(
        action=ModerationAction.USER_UNBLOCKED,
        actor=actor,
        target=target,
        user=user,
        reason=(note or "").strip()[:REASON_MAX],
    )
    return True


# --- from contribution to department --------------------------------------------------------------
def _ticket_summary(contribution) -> str:
    target = contribution.target
    title = kind_for(target).title(target)
    if isinstance(contribution, Idea):
        return _("Idee aus dem Vorhaben „%(project)s“: %(title)s\n\n%(text)s") % {
            "project": title,
            "title": contribution.title,
            "text": contribution.text,
        }
    if contribution.project is None:
        return _("Kommentar zu „%(title)s“ (%(where)s):\n\n%(text)s") % {
            "title": title,
            "where": kind_for(target).label,
            "text": contribution.text,
        }
    return _("Kommentar aus dem Vorhaben „%(project)s“:\n\n%(text)s") % {
        "project": title,
        "text": contribution.text,
    }


@transaction.atomic
def contribution_to_ticket(*, actor, contribution, category: Category) -> tuple[Ticket, bool]:
    """ "Als Anliegen weitergeben": open a ticket for the department, linked both ways. Once: a
    second call returns the existing ticket and `False`."""
    contribution = lock(contribution)
    _require_moderator(actor, contribution.target)
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
        target=contribution.target,
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
        "target": project,
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
        if idea is not None and idea.target_id != project.pk:
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
        target=project,
        contribution=contribution,
        reason=ContributionChannel(channel).label,
    )
    return contribution

"""Writes of the Ideenpool: submit, support and withdraw, the stage lifecycle, the link to the
Vorhaben an idea became, and the e-mails each public step owes authors and supporters.

An idea has one timeline, its ticket's: a stage is a public status of the ticket in the
Ideenpool's words, and every public step is a line of the ticket's timeline (`_step`). A
department's answer on the ticket is such a line already; nothing is mirrored.

The idea and its ticket are written in one transaction (ARCHITECTURE: the database is the truth);
the KPI counters move in the transaction of the change they count. An idea's title, text,
author, place, moderation state and supports are its input's (contributions.Idea, whose
discussion target is the idea); support counts are kept in the input's `support_count` by an
atomic `UPDATE … SET support_count = support_count ± 1`, so 200
people supporting at the same moment give 200, and a list never counts supports per row.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.contributions.constants import TICKET_CHANNEL
from participation.contributions.models import Idea, Support
from participation.contributions.moderation import contribution_hide, contribution_restore
from participation.contributions.services import ContributionRefused, location_check
from participation.projects.constants import ContributionChannel
from participation.projects.models import FieldOfAction, ProjectPage
from portal.core.errors import ApplicationError
from portal.core.images import CleanPhoto
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category, TicketEvent
from portal.tickets.services import ticket_open, ticket_record_step

from .constants import (
    CLOSED_FOR_SUPPORT,
    REASON_MAX,
    REASON_REQUIRED,
    SOURCE_KIND,
    STAGE_WORKFLOW,
    TEXT_MAX,
    TICKET_STATUS,
    TITLE_MAX,
    Stage,
    Step,
)
from .models import PoolIdea, PoolStatistics
from .rules import allowed, is_blocked, is_confirmed

DEFAULT_CATEGORY_SLUG = "ideenpool"


class IdeaRefused(ApplicationError):
    """Not allowed now: the account, a block, the window, the stage (HTTP 403)."""


class AlreadyDone(ApplicationError):
    """Once is allowed, and it happened already, or there is nothing to undo (HTTP 409)."""


# --- checks ---------------------------------------------------------------------------------------
def account_refusal(user) -> str | None:
    """Why `user` may not submit or support, in German; None if they may."""
    if not (user and user.is_authenticated):
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if not is_confirmed(user):
        return _(
            "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Den Link dazu haben wir Ihnen per "
            "E-Mail geschickt."
        )
    if is_blocked(user):
        return _("Ihr Konto ist für die Beteiligung gesperrt.")
    return None


def support_refusal(idea: PoolIdea, moment=None) -> str | None:
    """Why the idea takes no supports now; None while it does."""
    moment = moment or timezone.now()
    if not idea.is_visible:
        return _("Diese Idee kann nicht unterstützt werden.")
    if idea.stage in CLOSED_FOR_SUPPORT:
        return _("Diese Idee wurde nicht aufgenommen und kann nicht mehr unterstützt werden.")
    if moment >= idea.support_ends_at:
        return _("Die Frist für Unterstützungen ist abgelaufen.")
    return None


def _clean(value: str, *, message: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field=field)
    if len(value) > limit:
        raise ApplicationError(
            _("Bitte fassen Sie sich kürzer (höchstens %(n)s Zeichen).") % {"n": limit},
            field=field,
        )
    return value


def _count(**fields: int) -> None:
    """Move the pool's KPI counters (one row, created by the migration)."""
    updates = {name: F(name) + delta for name, delta in fields.items()}
    if not PoolStatistics.objects.filter(pk=1).update(**updates):
        PoolStatistics.objects.get_or_create(pk=1)
        PoolStatistics.objects.filter(pk=1).update(**updates)


def idea_category() -> Category:
    """The ticket category of pool ideas: the first active idea category, or the default one."""
    category = (
        Category.objects.filter(kind=CategoryKind.IDEA, is_active=True)
        .order_by("sort_order", "name")
        .first()
    )
    if category is None:
        category, _created = Category.objects.get_or_create(
            slug=DEFAULT_CATEGORY_SLUG,
            defaults={"name": "Idee aus dem Ideenpool", "kind": CategoryKind.IDEA, "sla_days": 20},
        )
    return category


def support_window_end(submitted_at):
    """IDEAS_SUPPORT_WEEKS weeks on the city's clock: a window opened at 9:00 closes at 9:00,
    across a change to or from summer time."""
    return timezone.localtime(submitted_at) + timedelta(weeks=settings.IDEAS_SUPPORT_WEEKS)


def _ticket_summary(idea: PoolIdea) -> str:
    return f"{idea.title}\n\n{idea.text}"


# --- submit ---------------------------------------------------------------------------------------
@transaction.atomic
def idea_submit(
    *,
    actor,
    title: str,
    text: str,
    field_of_action: FieldOfAction | None,
    district=None,
    address: str = "",
    latitude=None,
    longitude=None,
    photo: CleanPhoto | None = None,
    improves: ProjectPage | None = None,
    channel: str = ContributionChannel.ONLINE,
    offline_name: str = "",
) -> PoolIdea:
    """A citizen's idea (online), or one MitMachBüro staff enter for someone (offline channel).

    The idea and its ticket commit together; routing to the department follows in the worker."""
    offline = channel != ContributionChannel.ONLINE
    if offline:
        if not allowed("ideas.enter_offline", actor):
            raise IdeaRefused(_("Nur das MitMachBüro kann Ideen für andere erfassen."))
    else:
        refusal = account_refusal(actor)
        if refusal:
            raise IdeaRefused(refusal)
    title = _clean(
        title, message=_("Bitte geben Sie Ihrer Idee einen Titel."), field="title", limit=TITLE_MAX
    )
    text = _clean(text, message=_("Bitte beschreiben Sie Ihre Idee."), field="text", limit=TEXT_MAX)
    if field_of_action is None:
        raise ApplicationError(_("Bitte wählen Sie ein Handlungsfeld."), field="field_of_action")
    located = location_check(latitude=latitude, longitude=longitude)
    now = timezone.now()
    # the shared input; its discussion target is the pool idea, known once that is saved
    shared = Idea.objects.create(
        target_type=ContentType.objects.get_for_model(PoolIdea),
        target_id=0,
        title=title,
        text=text,
        district=located or district,
        address=(address or "").strip()[:200],
        latitude=latitude,
        longitude=longitude,
        author=None if offline else actor,
        channel=channel,
        offline_name=(offline_name or "").strip()[:150] if offline else "",
        entered_by=actor if offline else None,
        created_at=now,
    )
    idea = PoolIdea(
        input=shared,
        field_of_action=field_of_action,
        improves=improves,
        submitted_at=now,
        support_ends_at=support_window_end(now),
    )
    if photo is not None:
        idea.photo.save(photo.as_content_file().name, photo.as_content_file(), save=False)
    idea.save()
    shared.target_id = idea.pk
    shared.save(update_fields=["target_id"])
    shared.ticket = ticket_open(
        source=idea,
        source_kind=SOURCE_KIND,
        category=idea_category(),
        summary=_ticket_summary(idea),
        channel=TICKET_CHANNEL.get(channel, "online"),
        citizen=idea.author,
        latitude=idea.latitude,
        longitude=idea.longitude,
        address=idea.address,
        district=idea.district,
        actor=actor if offline else None,
        # the first line of the idea's timeline (its ticket's), in the Ideenpool's words
        public_status=Stage.SUBMITTED,
        public_message=_("Die Idee ist im Ideenpool eingegangen."),
    )
    shared.save(update_fields=["ticket"])
    _count(submitted=1)
    return idea


# --- support --------------------------------------------------------------------------------------
def idea_support(*, actor, idea: PoolIdea) -> Support:
    """Unterstützen: once per person and idea (a unique constraint keeps it so under races). The
    support that reaches the quorum within the window marks the idea, exactly once.

    The checks read outside the transaction; the transaction holds only the writes, so that a
    rush of supports keeps each write lock short (SQLite has one for the whole database)."""
    refusal = account_refusal(actor)
    if refusal:
        raise IdeaRefused(refusal)
    now = timezone.now()
    idea = PoolIdea.objects.get(pk=idea.pk)
    refusal = support_refusal(idea, now)
    if refusal:
        raise IdeaRefused(refusal)
    if idea.author_id is not None and idea.author_id == actor.pk:
        raise IdeaRefused(_("Ihre eigene Idee können Sie nicht unterstützen."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                support = Support.objects.create(idea_id=idea.input_id, user=actor, created_at=now)
        except IntegrityError:
            raise AlreadyDone(_("Sie unterstützen diese Idee bereits.")) from None
        # the UPDATE locks the row until commit: the count read next includes every earlier one
        Idea.objects.filter(pk=idea.input_id).update(support_count=F("support_count") + 1)
        count = Idea.objects.values_list("support_count", flat=True).get(pk=idea.input_id)
        if count >= settings.IDEAS_QUORUM_SUPPORTS:
            reached = PoolIdea.objects.filter(pk=idea.pk, quorum_reached_at__isnull=True).update(
                quorum_reached_at=now
            )
            if reached:
                _count(quorum_reached=1)
                _step(
                    idea,
                    public_status=Step.QUORUM,
                    public_message=_(
                        "%(count)s Menschen unterstützen diese Idee. Sie kommt auf die Liste für "
                        "den Rat."
                    )
                    % {"count": count},
                )
    return support


def idea_support_withdraw(*, actor, idea: PoolIdea) -> None:
    """Withdraw one's support while the window is open. Whether a reached quorum stays reached
    is a setting (IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL). Checks outside, writes inside the
    transaction, as for supporting."""
    if not (actor and actor.is_authenticated):
        raise IdeaRefused(_("Bitte melden Sie sich an."))
    now = timezone.now()
    idea = PoolIdea.objects.get(pk=idea.pk)
    if now >= idea.support_ends_at:
        raise IdeaRefused(
            _("Die Frist für Unterstützungen ist abgelaufen; Ihre Unterstützung bleibt gezählt.")
        )
    with transaction.atomic():
        deleted, _by_model = Support.objects.filter(idea_id=idea.input_id, user=actor).delete()
        if not deleted:
            raise AlreadyDone(_("Sie unterstützen diese Idee nicht."))
        Idea.objects.filter(pk=idea.input_id).update(support_count=F("support_count") - 1)
        count = Idea.objects.values_list("support_count", flat=True).get(pk=idea.input_id)
        if settings.IDEAS_QUORUM_KEPT_AFTER_WITHDRAWAL or count >= settings.IDEAS_QUORUM_SUPPORTS:
            return
        lost = PoolIdea.objects.filter(pk=idea.pk, quorum_reached_at__isnull=False).update(
            quorum_reached_at=None
        )
        if lost:
            _count(quorum_reached=-1)
            _step(
                idea,
                public_status=Step.QUORUM_LOST,
                public_message=_(
                    "Nach einer zurückgezogenen Unterstützung fehlen wieder %(missing)s bis zum "
                    "Quorum."
                )
                % {"missing": settings.IDEAS_QUORUM_SUPPORTS - count},
            )


# --- lifecycle ------------------------------------------------------------------------------------
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


@transaction.atomic
def answer_from_ticket(*, ticket_event: TicketEvent) -> None:
    """A department's public answer on the idea's ticket (accepting it, a status with a text) is
    a line of the idea's timeline already, the ticket's. It is the idea's first answer if none
    came before, and it owes the supporters an e-mail (the ticket has told the author, its
    citizen). Idempotent: each person is owed each line once."""
    idea = PoolIdea.objects.filter(input__ticket_id=ticket_event.ticket_id).first()
    if idea is None:
        return
    PoolIdea.objects.filter(pk=idea.pk, first_answer_at__isnull=True).update(
        first_answer_at=ticket_event.created_at
    )
    _notices_owe(
        idea=idea,
        ticket_event=ticket_event,
        skip_author=ticket_event.ticket.citizen_id is not None,
    )


# --- moderation (the same states as comments and project ideas) -----------------------------------
def idea_hide(*, actor, idea: PoolIdea, reason: str) -> PoolIdea:
    """Hide the idea with a reason: the shared moderation of its input (contributions), with its
    log line and the reason e-mailed to the author. Pool staff decide (the pool's target kind)."""
    try:
        contribution_hide(actor=actor, contribution=idea.input, reason=reason)
    except ContributionRefused as error:
        raise IdeaRefused(_("Nur die Moderation kann Ideen ausblenden.")) from error
    return PoolIdea.objects.get(pk=idea.pk)


def idea_restore(*, actor, idea: PoolIdea) -> PoolIdea:
    """Show a hidden (or auto-hidden) idea again, through the shared moderation."""
    try:
        contribution_restore(actor=actor, contribution=idea.input)
    except ContributionRefused as error:
        raise IdeaRefused(_("Nur die Moderation kann Ideen wieder einblenden.")) from error
    return PoolIdea.objects.get(pk=idea.pk)


# --- the timeline and its e-mails -----------------------------------------------------------------
def _step(
    idea: PoolIdea,
    *,
    public_status: str,
    public_message: str = "",
    status: str = "",
    actor=None,
    internal_note: str = "",
) -> TicketEvent | None:
    """A public step of the idea: a line of its ticket's timeline (the idea's one timeline), and
    the e-mails it owes the author and every supporter."""
    if idea.ticket_id is None:
        return None  # only ideas written straight into the table have no ticket, and no timeline
    event = ticket_record_step(
        ticket=idea.ticket,
        actor=actor,
        public_status=public_status,
        public_message=public_message,
        status=status,
        internal_note=internal_note,
    )
    _notices_owe(idea=idea, ticket_event=event, skip_author=False)
    return event


def _notices_owe(*, idea: PoolIdea, ticket_event: TicketEvent, skip_author: bool) -> None:
    """The e-mails a line of the idea's timeline owes its author and every supporter: one each,
    through their subscriptions and the outbox (participation/ideas/notices.py)."""
    from .notices import notices_owe

    notices_owe(idea=idea, ticket_event=ticket_event, skip_author=skip_author)

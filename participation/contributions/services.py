"""Writes of citizens: ideas, comments, supports, edits, deletions and reports.

Every write checks the rules again (a form shown earlier proves nothing), and every act of
taking part is counted with `participation_record` in the same transaction. Moderators' writes
are in `moderation.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.projects.constants import ContributionChannel, Module
from participation.projects.models import ProjectPage
from participation.projects.services import participation_record
from portal.core.errors import ApplicationError
from portal.departments.models import District
from portal.departments.selectors import district_for_location

from .constants import (
    MODERATION_WORKFLOW,
    REPORT_REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ModerationAction,
    ModerationState,
)
from .models import Comment, ContributionReport, Idea, ModerationLog, Support
from .rules import allowed
from .selectors import comment_refusal, participation_refusal
from .targets import kind_for


class ContributionRefused(ApplicationError):
    """Not allowed now: the phase, the account, a block, or not the author (HTTP 403)."""


class AlreadyDone(ApplicationError):
    """Once is allowed, and it happened already (HTTP 409)."""


# --- checks ---------------------------------------------------------------------------------------
def _require_module(user, project: ProjectPage, module: str) -> None:
    refusal = participation_refusal(user=user, project=project, module=module)
    if refusal is not None:
        raise ContributionRefused(refusal.message)


def _require(permission: str, user, contribution, message: str) -> None:
    if not allowed(permission, user, contribution):
        raise ContributionRefused(message)


def _clean_text(text: str, *, message: str, field: str = "text", limit: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(message, field=field)
    if len(text) > limit:
        raise ApplicationError(
            _("Bitte fassen Sie sich kürzer (höchstens %(n)s Zeichen).") % {"n": limit},
            field=field,
        )
    return text


def location_check(*, latitude, longitude) -> District | None:
    """The district of a point; refused in German when invalid or outside the city (as the
    Mängelmelder checks its reports)."""
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise ApplicationError(_("Der Ort ist unvollständig."), field="address")
    latitude, longitude = Decimal(latitude), Decimal(longitude)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ApplicationError(_("Die Koordinaten sind ungültig."), field="address")
    district = district_for_location(latitude=float(latitude), longitude=float(longitude))
    if district is None and District.objects.exists():
        raise ApplicationError(
            _("Dieser Ort liegt außerhalb des Stadtgebiets. Bitte wählen Sie einen Ort in der "
              "Stadt."),
            field="address",
        )  # fmt: skip
    return district


def set_state(contribution, state: str) -> str:
    """Move a contribution along the one transition map; returns the old state."""
    old = contribution.state
    MODERATION_WORKFLOW.check(old, state)
    contribution.state = state
    contribution.state_changed_at = timezone.now()
    return old


def lock(contribution):
    """The contribution's row, locked for the rest of the transaction."""
    return (
        type(contribution)
        .objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=contribution.pk)
    )


def reports_resolve(contribution) -> None:
    """Open reports are answered by a decision (or by the author deleting the contribution)."""
    contribution.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    contribution.open_report_count = 0


# --- ideas ----------------------------------------------------------------------------------------
@transaction.atomic
def idea_create(
    *,
    actor,
    project: ProjectPage,
    title: str,
    text: str,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Idea:
    _require_module(actor, project, Module.IDEAS)
    title = _clean_text(
        title, message=_("Bitte geben Sie Ihrer Idee einen Titel."), field="title", limit=TITLE_MAX
    )
    text = _clean_text(text, message=_("Bitte beschreiben Sie Ihre Idee."))
    district = location_check(latitude=latitude, longitude=longitude)
    idea = Idea.objects.create(
        target=project,
        phase=project.phase_at(),
        author=actor,
        channel=ContributionChannel.ONLINE,
        title=title,
        text=text,
        address=(address or "").strip()[:200],
        latitude=latitude,
        longitude=longitude,
        district=district,
    )
    participation_record(project_id=project.pk, participant_key=idea.participant_key())
    return idea


@transaction.atomic
def idea_support(*, actor, idea: Idea) -> Support:
    """Unterstützen: once per person and idea (a unique constraint keeps it so under races)."""
    _require_module(actor, idea.project, Module.RATINGS)
    if not idea.is_visible:
        raise ContributionRefused(_("Diese Idee kann nicht mehr unterstützt werden."))
    try:
        with transaction.atomic():
            support = Support.objects.create(idea=idea, user=actor)
    except IntegrityError:
        raise AlreadyDone(_("Sie unterstützen diese Idee bereits.")) from None
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    participation_record(
        project_id=idea.target_id, participant_key=f"user:{actor.pk}", contribution=False
    )
    return support


# --- comments -------------------------------------------------------------------------------------
@transaction.atomic
def comment_create(
    *,
    actor,
    target,
    text: str,
    idea: Idea | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A comment on a target (a project, a pool idea) or on one of a project's ideas, or a reply
    to a comment (one level)."""
    kind = kind_for(target)
    refusal = comment_refusal(user=actor, target=target)
    if refusal is not None:
        raise ContributionRefused(refusal.message)
    if parent is not None:
        if (
            parent.target_type_id != kind.content_type.pk
            or parent.target_id != target.pk
            or parent.idea_id != (idea.pk if idea else None)
        ):
            raise ApplicationError(_("Die Antwort passt nicht zu diesem Kommentar."))
        if parent.parent_id is not None:
            raise ContributionRefused(
                _("Auf eine Antwort kann nicht geantwortet werden. Bitte antworten Sie auf den "
                  "ursprünglichen Kommentar.")
            )  # fmt: skip
        if not parent.is_visible:
            raise ContributionRefused(_("Auf diesen Kommentar kann nicht geantwortet werden."))
    if idea is not None:
        if (idea.target_type_id, idea.target_id) != (kind.content_type.pk, target.pk):
            raise ApplicationError(_("Die Idee gehört nicht zu diesem Vorhaben."))
        if not idea.is_visible:
            raise ContributionRefused(_("Diese Idee kann nicht kommentiert werden."))
    comment = Comment.objects.create(
        target=target,
        phase=target.phase_at() if isinstance(target, ProjectPage) else None,
        author=actor,
        channel=ContributionChannel.ONLINE,
        idea=idea,
        parent=parent,
        text=_clean_text(text, message=_("Bitte schreiben Sie Ihren Kommentar.")),
    )
    if kind.record is not None:
        kind.record(target, comment)
    return comment


# --- the author's own contribution ----------------------------------------------------------------
@transaction.atomic
def contribution_edit(*, actor, contribution, text: str, title: str | None = None):
    """The author changes the text within the edit window (CONTRIBUTIONS_EDIT_MINUTES)."""
    contribution = lock(contribution)
    _require(
        "contributions.change_contribution",
        actor,
        contribution,
        _("Sie können Ihren Beitrag nur in den ersten %(minutes)s Minuten nach dem Absenden "
          "ändern.") % {"minutes": settings.CONTRIBUTIONS_EDIT_MINUTES},
    )  # fmt: skip
    contribution.text = _clean_text(text, message=_("Bitte schreiben Sie einen Text."))
    fields = ["text", "edited_at"]
    if isinstance(contribution, Idea) and title is not None:
        contribution.title = _clean_text(
            title,
            message=_("Bitte geben Sie Ihrer Idee einen Titel."),
            field="title",
            limit=TITLE_MAX,
        )
        fields.append("title")
    contribution.edited_at = timezone.now()
    contribution.save(update_fields=fields)
    return contribution


@transaction.atomic
def contribution_delete(*, actor, contribution):
    """The author deletes: a placeholder stays, so that replies keep their context; the text
    itself is gone."""
    contribution = lock(contribution)
    _require(
        "contributions.delete_contribution",
        actor,
        contribution,
        _("Nur die Verfasserin oder der Verfasser kann diesen Beitrag löschen."),
    )
    set_state(contribution, ModerationState.DELETED)
    contribution.text = ""
    fields = ["state", "state_changed_at", "text", "open_report_count"]
    if isinstance(contribution, Idea):
        contribution.title = ""
        contribution.address = ""
        contribution.latitude = contribution.longitude = None
        fields += ["title", "address", "latitude", "longitude"]
    reports_resolve(contribution)
    contribution.save(update_fields=fields)
    return contribution


# --- reports --------------------------------------------------------------------------------------
@transaction.atomic
def contribution_report(
    *, contribution, reporter_key: str, reporter=None, reason: str = ""
) -> ContributionReport:
    """Anyone may report a contribution, once. With CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS open
    reports it is hidden until a moderator decides (recorded in the audit log)."""
    contribution = lock(contribution)
    if contribution.state == ModerationState.DELETED:
        raise ContributionRefused(_("Dieser Beitrag wurde gelöscht."))
    if contribution.state != ModerationState.VISIBLE:
        raise AlreadyDone(_("Dieser Beitrag ist bereits ausgeblendet."))
    reason = (reason or "").strip()[:REPORT_REASON_MAX]
    about = {"idea" if isinstance(contribution, Idea) else "comment": contribution}
    try:
        with transaction.atomic():
            report = ContributionReport.objects.create(
                reporter=reporter if reporter is not None and reporter.is_authenticated else None,
                reporter_key=reporter_key[:80],
                reason=reason,
                **about,
            )
    except IntegrityError:
        raise AlreadyDone(_("Sie haben diesen Beitrag bereits gemeldet.")) from None
    contribution.open_report_count += 1
    fields = ["open_report_count"]
    threshold = settings.CONTRIBUTIONS_AUTO_HIDE_AFTER_REPORTS
    if threshold and contribution.open_report_count >= threshold:
        set_state(contribution, ModerationState.AUTO_HIDDEN)
        fields += ["state", "state_changed_at"]
        ModerationLog.objects.create(
            target_type_id=contribution.target_type_id,
            target_id=contribution.target_id,
            user=contribution.author,
            action=ModerationAction.AUTO_HIDDEN,
            reason=_("%(count)s Meldungen – ausgeblendet, bis die Moderation entscheidet.")
            % {"count": contribution.open_report_count},
            target_label=str(contribution),
            **about,
        )
    contribution.save(update_fields=fields)
    return report

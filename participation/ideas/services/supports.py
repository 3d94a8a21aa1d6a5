"""Unterstützen: supporting an idea and withdrawing the support, and the quorum they move."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.contributions.models import Idea, Support

from ..constants import CLOSED_FOR_SUPPORT, Step
from ..models import PoolIdea
from .base import AlreadyDone, IdeaRefused, _count, account_refusal
from .timeline import _step


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

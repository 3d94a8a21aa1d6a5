"""Hiding and restoring an idea: the shared moderation of its input, as for comments."""

from __future__ import annotations

from django.utils.translation import gettext as _

from participation.contributions.moderation import contribution_hide, contribution_restore
from participation.contributions.services import ContributionRefused

from ..models import PoolIdea
from .base import IdeaRefused


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

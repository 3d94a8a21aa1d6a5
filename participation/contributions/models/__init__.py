"""The contributions app's models; Django and every importer find them all here."""

from .contribution import (
    PLACEHOLDER_AUTO_HIDDEN,
    PLACEHOLDER_DELETED,
    PLACEHOLDER_HIDDEN,
    Comment,
    Contribution,
    ContributionQuerySet,
    Idea,
    Support,
)
from .moderation import ContributionReport, ModerationLog, ReasonTemplate

__all__ = [
    "PLACEHOLDER_AUTO_HIDDEN",
    "PLACEHOLDER_DELETED",
    "PLACEHOLDER_HIDDEN",
    "Comment",
    "Contribution",
    "ContributionQuerySet",
    "ContributionReport",
    "Idea",
    "ModerationLog",
    "ReasonTemplate",
    "Support",
]

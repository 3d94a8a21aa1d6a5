"""Who may change, delete and moderate a contribution (the object is an Idea or a Comment).

Contributing itself is decided by the project's rules (`projects.add_idea` …, role × phase).
Citizens' capabilities are tested with `allowed()`, i.e. by the rules alone: Django's superuser
shortcut in `user.has_perm` does not apply, so an administrator writes under the same phase rules
as everyone. Moderation uses `user.has_perm`, where administrators may do everything.
"""

import rules
from django.utils import timezone

from participation.projects.rules import is_blocked

from .constants import ModerationState


@rules.predicate
def is_author(user, contribution) -> bool:
    return bool(
        user
        and user.is_authenticated
        and contribution is not None
        and contribution.author_id == user.pk
        and not contribution.is_offline
    )


@rules.predicate
def is_visible(user, contribution) -> bool:
    return contribution is not None and contribution.state == ModerationState.VISIBLE


@rules.predicate
def is_deleted(user, contribution) -> bool:
    return contribution is not None and contribution.state == ModerationState.DELETED


@rules.predicate
def in_edit_window(user, contribution) -> bool:
    return contribution is not None and timezone.now() < contribution.edit_deadline


@rules.predicate
def moderates_target(user, contribution) -> bool:
    """A moderator of the contribution's discussion target (its kind decides)."""
    if contribution is None:
        return False
    return contribution.target_kind.may_moderate(user, contribution.target)


rules.add_perm(
    "contributions.change_contribution", is_author & is_visible & in_edit_window & ~is_blocked
)
rules.add_perm("contributions.delete_contribution", is_author & ~is_deleted)
rules.add_perm("contributions.moderate_contribution", moderates_target)


def allowed(permission: str, user, obj) -> bool:
    """A citizen's capability by the rules alone (no superuser shortcut)."""
    return rules.has_perm(permission, user, obj)

"""Who may take part in a discussion now, and if not, why not (a Refusal the page explains)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from participation.projects.constants import Module
from participation.projects.models import ProjectPage
from participation.projects.rules import is_blocked, is_confirmed

from ..rules import allowed, in_edit_window, is_author, is_deleted, is_visible
from ..targets import kind_for

MODULE_PERMISSION = {
    Module.IDEAS: "projects.add_idea",
    Module.COMMENTS: "projects.add_comment",
    Module.RATINGS: "projects.add_rating",
}

NOT_OPEN = {
    Module.IDEAS: _("In der aktuellen Phase können keine Ideen eingereicht werden."),
    Module.COMMENTS: _("In der aktuellen Phase kann nicht kommentiert werden."),
    Module.RATINGS: _("In der aktuellen Phase können Ideen nicht unterstützt werden."),
}


@dataclass(frozen=True)
class Refusal:
    """Why a person may not take part in a module right now. `code` lets the page offer the way
    out (sign in, confirm the e-mail address)."""

    code: str  # "closed", "login", "confirm", "blocked"
    message: str


def account_refusal(user) -> Refusal | None:
    """Why `user`'s account may not take part (not signed in, e-mail not confirmed, blocked)."""
    if not (user and user.is_authenticated):
        return Refusal("login", str(_("Bitte melden Sie sich an, um mitzumachen.")))
    if not is_confirmed(user):
        return Refusal(
            "confirm",
            str(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Den Link dazu haben wir "
                  "Ihnen per E-Mail geschickt.")),
        )  # fmt: skip
    if is_blocked(user):
        return Refusal("blocked", str(_("Ihr Konto ist für die Beteiligung gesperrt.")))
    return None


def participation_refusal(*, user, project: ProjectPage, module: str) -> Refusal | None:
    """None if `user` may do `module` in the project now (the rules decide), else the reason."""
    if allowed(MODULE_PERMISSION[module], user, project):
        return None
    phase = project.phase_at()
    if phase is None or not phase.has_module(module):
        return Refusal("closed", str(NOT_OPEN[module]))
    return account_refusal(user) or Refusal("closed", str(NOT_OPEN[module]))


def comment_refusal(*, user, target) -> Refusal | None:
    """None if `user` may comment on `target` now, else the reason (the target's kind decides)."""
    return kind_for(target).comment_refusal(user, target)


def _mark_permissions(items, *, user, blocked: bool) -> None:
    """Per item: may the user change or delete it? The rules' own predicates, with the one
    database-backed test (blocked) answered once for the whole list."""
    for item in items:
        own = is_author(user, item)
        item.may_edit = (
            own and is_visible(user, item) and in_edit_window(user, item) and not blocked
        )
        item.may_delete = own and not is_deleted(user, item)

"""What every write of the Ideenpool shares: its errors, the account check, texts, counters."""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from portal.core.errors import ApplicationError

from ..models import PoolStatistics
from ..rules import is_blocked, is_confirmed


class IdeaRefused(ApplicationError):
    """Not allowed now: the account, a block, the window, the stage (HTTP 403)."""


class AlreadyDone(ApplicationError):
    """Once is allowed, and it happened already, or there is nothing to undo (HTTP 409)."""


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

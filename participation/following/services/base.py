"""What the services of following share: ringing the broker after commit, the address to write
to, and the signed confirmation links."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import doorbell
from portal.core.errors import ApplicationError

from ..models import PoolSubscription, ProjectFollow

RELAY_AFTER = timedelta(minutes=2)
RELAY_WINDOW = timedelta(days=2)
RELAY_BATCH = 200
# asking again for a confirmation link sends a new one, but not more often than this
RESEND_AFTER = timedelta(minutes=15)

FOLLOW_CONFIRM_SALT = "following.follow.confirm"
POOL_CONFIRM_SALT = "following.pool.confirm"


# --- tasks by name, rung after commit -----------------------------------------------------------
def _task(name: str):
    from .. import tasks

    return getattr(tasks, name)


def _ring_on_commit(task_name: str, object_id: int) -> None:
    doorbell.ring_on_commit(partial(_task, task_name), object_id)


def _ring(task_name: str, object_id: int) -> None:
    doorbell.ring(_task(task_name), object_id)


def _verified_email(user) -> str:
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated or not user.email:
        return ""
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email.lower() if verified.exists() else ""


def _may_resend(subscription) -> bool:
    sent = subscription.confirmation_sent_at
    return sent is not None and sent < timezone.now() - RESEND_AFTER


def _address(*, email: str, user) -> tuple[str, bool]:
    """The address to write to and whether it is known to be the person's (a verified account
    address needs no confirmation link)."""
    if user is not None and not user.is_authenticated:
        user = None
    verified = _verified_email(user)
    email = (verified or (user.email if user is not None else "") or email).strip().lower()
    if not email:
        raise ApplicationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), field="email")
    return email, bool(verified)


# --- signed confirmation links --------------------------------------------------------------------
def confirmation_code(subscription) -> str:
    """The signed, expiring code of a confirmation link (it carries the stored token)."""
    salt = POOL_CONFIRM_SALT if isinstance(subscription, PoolSubscription) else FOLLOW_CONFIRM_SALT
    return signing.dumps(subscription.token, salt=salt)


def _token_from_code(code: str, *, salt: str) -> str:
    try:
        return signing.loads(code, salt=salt, max_age=settings.FOLLOWING_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ApplicationError(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich noch einmal an; "
              "Sie erhalten dann einen neuen Link.")
        ) from None  # fmt: skip
    except signing.BadSignature:
        raise ApplicationError(_("Dieser Link ist ungültig.")) from None


def follow_from_code(code: str) -> ProjectFollow:
    token = _token_from_code(code, salt=FOLLOW_CONFIRM_SALT)
    follow = ProjectFollow.objects.select_related("project").filter(token=token).first()
    if follow is None:
        raise ApplicationError(_("Dieser Link ist ungültig."))
    return follow


def pool_subscription_from_code(code: str) -> PoolSubscription:
    token = _token_from_code(code, salt=POOL_CONFIRM_SALT)
    subscription = PoolSubscription.objects.filter(token=token).first()
    if subscription is None:
        raise ApplicationError(_("Dieser Link ist ungültig."))
    return subscription

"""Subscriptions: double opt-in with signed, expiring confirmation links, one-click unsubscribe
with a signed link, and each notice once (docs/architecture.md, "The kernel").

    subscription, created = subscribe(kind="reports.report", target=report, email=..., user=...)
    confirm(code=...)  /  end(code=...)
    notice_owe(subscription, "event:12", template="emails/reports/follow_update",
               context={"event": 12})

Every e-mail goes through the outbox. A notice is owed under the key
"sub:<subscription>:<notice key>", so a scan or a signal that runs twice owes it once.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.core.links import absolute_url

from .models import State, Subscription
from .registry import kind_for

CONFIRM_SALT = "core.subscriptions.confirm"
END_SALT = "core.subscriptions.end"
MANAGE_SALT = "core.subscriptions.manage"
# asking again for a confirmation link sends a new one, but not more often than this
RESEND_AFTER = timedelta(minutes=15)

MSG_INVALID = gettext_lazy(
    "Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig kopiert haben."
)


# --- who is written to ----------------------------------------------------------------------------
def verified_email(user) -> str:
    """The account's address if it is confirmed (allauth), else ""."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated or not user.email:
        return ""
    verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email.lower() if verified.exists() else ""


def subscriber_address(*, email: str, user) -> tuple[str, bool]:
    """The address to write to and whether it is known to be the person's (a verified account
    address needs no confirmation link). Refused in German when there is none."""
    if user is not None and not user.is_authenticated:
        user = None
    verified = verified_email(user)
    email = (verified or (user.email if user is not None else "") or email).strip().lower()
    if not email:
        raise ApplicationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), field="email")
    return email, bool(verified)


# --- signed links ---------------------------------------------------------------------------------
def confirm_code(subscription: Subscription) -> str:
    """The code of the confirmation link: signed, valid SUBSCRIPTIONS_CONFIRM_MAX_AGE seconds."""
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def end_code(subscription: Subscription) -> str:
    """The code of the unsubscribe link: signed; it does not expire (it is in every e-mail, and
    the same in each)."""
    return signing.Signer(salt=END_SALT).sign_object(subscription.pk)


def manage_code(subscription: Subscription) -> str:
    """The code of a settings link (the Mitmachpool's choice): signed, no expiry."""
    return signing.Signer(salt=MANAGE_SALT).sign_object(subscription.pk)


def _legacy_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _from_code(code: str, *, salt: str, max_age: int | None = None, kind: str | None = None):
    try:
        if salt == CONFIRM_SALT:
            subscription_id = signing.loads(code, salt=salt, max_age=max_age)
        else:
            subscription_id = signing.Signer(salt=salt).unsign_object(code)
    except signing.SignatureExpired:
        raise ApplicationError(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte tragen Sie Ihre E-Mail-Adresse noch "
              "einmal ein; Sie erhalten dann einen neuen Link.")
        ) from None  # fmt: skip
    except signing.BadSignature:
        subscription_id = None
    queryset = (
        Subscription.objects.all() if kind is None else Subscription.objects.filter(kind=kind)
    )
    subscription = None
    if isinstance(subscription_id, int):
        subscription = queryset.filter(pk=subscription_id).first()
    elif salt != CONFIRM_SALT and code and ":" not in code:
        # an unsubscribe or settings link from before the kernel (its raw token); a
        # confirmation link from then is not taken: it neither was signed nor expired
        subscription = queryset.filter(legacy_token_hash=_legacy_hash(code)).first()
    if subscription is None:
        raise ApplicationError(MSG_INVALID)
    return subscription


def subscription_from_confirm_code(code: str, *, kind: str | None = None) -> Subscription:
    """The subscription a confirmation link stands for; refused in German when it is expired or
    altered."""
    return _from_code(
        code, salt=CONFIRM_SALT, max_age=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE, kind=kind
    )


def subscription_from_end_code(code: str, *, kind: str | None = None) -> Subscription:
    return _from_code(code, salt=END_SALT, kind=kind)


def subscription_from_manage_code(code: str, *, kind: str | None = None) -> Subscription:
    return _from_code(code, salt=MANAGE_SALT, kind=kind)


def link(url_name: str, code: str) -> str:
    return absolute_url(reverse(url_name, args=[code]))


def confirm_url(subscription: Subscription) -> str:
    return link(kind_for(subscription.kind).confirm_url_name, confirm_code(subscription))


def unsubscribe_url(subscription: Subscription) -> str:
    return link(kind_for(subscription.kind).unsubscribe_url_name, end_code(subscription))


# --- writes ---------------------------------------------------------------------------------------
def _target_fields(target) -> dict:
    if target is None:
        return {"target_type": None, "target_id": None}
    return {
        "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
        "target_id": target.pk,
    }


def _owe_confirmation(subscription: Subscription) -> None:
    subscription.confirmation_owed_at = timezone.now()
    subscription.save(update_fields=["confirmation_owed_at"])
    stamp = int(subscription.confirmation_owed_at.timestamp() * 1000)
    outbox.owe(
        f"sub:{subscription.pk}:confirm:{stamp}",
        kind="subscriptions.confirm",
        recipient=subscription.address,
        template=kind_for(subscription.kind).confirm_template,
        context={"subscription": subscription.pk},
    )


@transaction.atomic
def subscribe(
    *, kind: str, target=None, email: str = "", user=None, scope: dict | None = None
) -> tuple[Subscription, bool]:
    """Ask for a subscription. New (or ended before): it waits for its confirmation link, mailed
    through the outbox (double opt-in); a signed-in person with a verified address is confirmed
    at once. Pending: a new link, but only now and then. Confirmed: nothing changes (the scope
    only for a verified address). Returns the subscription and whether it (re)started."""
    email, verified = subscriber_address(email=email, user=user)
    user = user if user is not None and user.is_authenticated else None
    fields = _target_fields(target)
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        kind=kind,
        target_id=fields["target_id"],
        email=email,
        defaults={"target_type": fields["target_type"], "user": user, "scope": scope or {}},
    )
    now = timezone.now()
    if not created and subscription.state == State.CONFIRMED:
        if scope is not None and verified:
            subscription.scope = scope
            subscription.save(update_fields=["scope"])
        return subscription, False
    if not created and subscription.state == State.PENDING and not verified:
        if scope is not None:
            subscription.scope = scope
            subscription.save(update_fields=["scope"])
        owed = subscription.confirmation_owed_at
        if owed is None or owed < now - RESEND_AFTER:
            # asked again: a new link, the old one may be lost or expired
            _owe_confirmation(subscription)
        return subscription, False
    subscription.user = user or subscription.user
    subscription.scope = scope if scope is not None else subscription.scope
    subscription.created_at = now
    subscription.ended_at = None
    subscription.state = State.CONFIRMED if verified else State.PENDING
    subscription.confirmed_at = now if verified else None
    subscription.confirmation_owed_at = None
    subscription.save()
    if subscription.state == State.PENDING:
        _owe_confirmation(subscription)
    return subscription, True


@transaction.atomic
def account_subscription(*, kind: str, target, user_id: int) -> Subscription:
    """The account's subscription of `target`, confirmed when it is new: what the person did says
    they want to hear (they wrote or support a pool idea). One that ended stays ended: the person
    unsubscribed. E-mails go to the account's address of the day."""
    fields = _target_fields(target)
    subscription, _created = Subscription.objects.get_or_create(
        kind=kind,
        target_id=fields["target_id"],
        email="",
        user_id=user_id,
        defaults={
            "target_type": fields["target_type"],
            "state": State.CONFIRMED,
            "confirmed_at": timezone.now(),
        },
    )
    return subscription


@transaction.atomic
def confirm(*, code: str, kind: str | None = None) -> Subscription:
    """Confirm through the signed link. Once confirmed, the link changes nothing; after the
    subscription ended it is refused."""
    subscription = subscription_from_confirm_code(code, kind=kind)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state == State.ENDED:
        raise ApplicationError(
            _("Sie haben sich bereits abgemeldet. Um wieder E-Mails zu erhalten, melden Sie sich "
              "bitte neu an.")
        )  # fmt: skip
    if subscription.state == State.PENDING:
        subscription.state = State.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["state", "confirmed_at"])
    return subscription


@transaction.atomic
def end(*, code: str, kind: str | None = None) -> Subscription:
    """Unsubscribe through the signed link (one click); a second click changes nothing."""
    subscription = subscription_from_end_code(code, kind=kind)
    return end_subscription(subscription)


@transaction.atomic
def end_subscription(subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state != State.ENDED:
        subscription.state = State.ENDED
        subscription.ended_at = timezone.now()
        subscription.save(update_fields=["state", "ended_at"])
    return subscription


@transaction.atomic
def confirm_subscription(subscription: Subscription) -> Subscription:
    """Confirm without the confirmation link (a settings link reached the address, which proves
    it as well)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state == State.PENDING:
        subscription.state = State.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["state", "confirmed_at"])
    return subscription


def notice_key(subscription_id: int, key: str) -> str:
    return f"sub:{subscription_id}:{key}"


def notice_owe(
    subscription: Subscription, key: str, *, template: str, context: dict | None = None
) -> bool:
    """Owe `subscription` the notice `key` (once, whatever calls this how often). Call inside
    the transaction that made the news. Returns whether it was owed now."""
    if subscription.state != State.CONFIRMED:
        return False
    message = outbox.owe(
        notice_key(subscription.pk, key),
        kind="subscriptions.notice",
        recipient=subscription.address,
        template=template,
        context={"subscription": subscription.pk, **(context or {})},
    )
    return message is not None


def notices_owe(subscriptions, key: str, *, template: str, context: dict | None = None) -> int:
    """`notice_owe` for many subscriptions at once (a scan): one query finds what was owed
    before. Returns how many were owed now."""
    from portal.core.models import OutboxMessage

    pending = {notice_key(s.pk, key): s for s in subscriptions if s.state == State.CONFIRMED}
    keys = list(pending)
    known = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known.update(OutboxMessage.objects.filter(key__in=chunk).values_list("key", flat=True))
    owed = 0
    for message_key, subscription in pending.items():
        if message_key not in known:
            owed += notice_owe(subscription, key, template=template, context=context)
    return owed

"""Following a project and the Mitmachpool on the kernel's subscriptions: double opt-in, changing
the choice, unsubscribing. The e-mails go through the outbox."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.projects.models import ProjectPage
from portal.core.errors import ApplicationError
from portal.core.subscriptions import services as subscriptions
from portal.core.subscriptions.models import State, Subscription

from ..constants import POOL, PROJECT

MSG_POOL_ENDED = gettext_lazy(
    "Sie haben sich vom Mitmachpool abgemeldet. Um wieder Nachrichten zu erhalten, melden Sie "
    "sich bitte neu an."
)


# --- following a project --------------------------------------------------------------------------
def project_follow(*, project: ProjectPage, email: str = "", user=None) -> Subscription:
    """Start following a published project. The address gets a confirmation link first (double
    opt-in); a signed-in person with a verified address follows at once. Asking again while
    following changes nothing; after unsubscribing it starts over."""
    if not project.live:
        raise ApplicationError(_("Dieses Vorhaben ist nicht veröffentlicht."))
    subscription, _started = subscriptions.subscribe(
        kind=PROJECT, target=project, email=email, user=user
    )
    return subscription


# --- Mitmachpool ----------------------------------------------------------------------------------
def _scope(fields_of_action: Iterable, districts: Iterable) -> dict:
    return {
        "fields_of_action": sorted(f.pk for f in fields_of_action),
        "districts": sorted(d.pk for d in districts),
    }


@transaction.atomic
def pool_subscribe(
    *, email: str = "", user=None, fields_of_action: Iterable = (), districts: Iterable = ()
) -> Subscription:
    """Subscribe to the Mitmachpool with a choice of Handlungsfelder and Stadtteile (none: all).

    New or unconfirmed: the choice is saved and a confirmation link mailed. Already subscribed:
    the choice is not changed by someone who only knows the address; the settings link is mailed
    instead (a signed-in person with the verified address changes it at once)."""
    _address, verified = subscriptions.subscriber_address(email=email, user=user)
    subscription, started = subscriptions.subscribe(
        kind=POOL, email=email, user=user, scope=_scope(fields_of_action, districts)
    )
    if not started and subscription.is_active and not verified:
        stamp = int(timezone.now().timestamp() * 1000)
        subscriptions.notice_owe(
            subscription,
            f"settings-link:{stamp}",
            template="emails/following/pool_settings_link",
            context={"notice": "settings-link"},
        )
    return subscription


def pool_subscription_get(*, code: str, confirm: bool = False) -> Subscription:
    """The Mitmachpool subscription of a confirmation or unsubscribe link; refused in German."""
    if confirm:
        return subscriptions.subscription_from_confirm_code(code, kind=POOL)
    return subscriptions.subscription_from_end_code(code, kind=POOL)


@transaction.atomic
def pool_confirm(*, code: str) -> Subscription:
    subscription = pool_subscription_get(code=code, confirm=True)
    if subscription.state == State.ENDED:
        raise ApplicationError(MSG_POOL_ENDED)
    return subscriptions.confirm(code=code, kind=POOL)


@transaction.atomic
def pool_change(
    *, code: str, fields_of_action: Iterable = (), districts: Iterable = ()
) -> Subscription:
    """Change the choice through the settings link (which only the address's owner receives)."""
    subscription = subscriptions.subscription_from_manage_code(code, kind=POOL)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state == State.ENDED:
        raise ApplicationError(
            _("Sie haben sich vom Mitmachpool abgemeldet. Bitte melden Sie sich neu an.")
        )
    subscription.scope = _scope(fields_of_action, districts)
    subscription.save(update_fields=["scope"])
    # the link reached the address: that confirms it as well as the confirmation link does
    return subscriptions.confirm_subscription(subscription)


def pool_unsubscribe(*, code: str) -> Subscription:
    return subscriptions.end(code=code, kind=POOL)

"""Following a project and the Mitmachpool: double opt-in, changing the choice, unsubscribing, and
the confirmation e-mails."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.projects.models import ProjectPage
from portal.core.errors import ApplicationError

from ..models import PoolSubscription, ProjectFollow
from .base import (
    _address,
    _may_resend,
    _ring_on_commit,
    follow_from_code,
    pool_subscription_from_code,
)


# --- following a project --------------------------------------------------------------------------
@transaction.atomic
def project_follow(*, project: ProjectPage, email: str = "", user=None) -> ProjectFollow:
    """Start following a published project. The address gets a confirmation link first (double
    opt-in); a signed-in person with a verified address follows at once. Asking again while
    following changes nothing; after unsubscribing it starts over."""
    if not project.live:
        raise ApplicationError(_("Dieses Vorhaben ist nicht veröffentlicht."))
    email, verified = _address(email=email, user=user)
    user = user if user is not None and user.is_authenticated else None
    follow, created = ProjectFollow.objects.select_for_update().get_or_create(
        project=project, email=email, defaults={"user": user}
    )
    if not created and follow.unsubscribed_at is None and (follow.confirmed_at or not verified):
        if follow.confirmed_at is None and _may_resend(follow):
            # asked again: a new link, the old one may be lost or expired
            follow.confirmation_sent_at = None
            follow.save(update_fields=["confirmation_sent_at"])
            _ring_on_commit("following_follow_confirm_task", follow.pk)
        return follow
    now = timezone.now()
    follow.user = user or follow.user
    follow.created_at = now
    follow.unsubscribed_at = None
    follow.confirmed_at = now if verified else None
    follow.confirmation_sent_at = None
    follow.save()
    if follow.confirmed_at is None:
        _ring_on_commit("following_follow_confirm_task", follow.pk)
    return follow


@transaction.atomic
def project_follow_confirm(*, code: str) -> ProjectFollow:
    follow = follow_from_code(code)
    follow = (
        ProjectFollow.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=follow.pk)
    )
    if follow.unsubscribed_at is not None:
        raise ApplicationError(
            _("Sie haben sich von diesem Vorhaben abgemeldet. Um wieder zu folgen, nutzen Sie "
              "bitte das Formular auf der Seite des Vorhabens.")
        )  # fmt: skip
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        follow.save(update_fields=["confirmed_at"])
    return follow


@transaction.atomic
def project_follow_unsubscribe(*, token: str) -> ProjectFollow:
    follow = (
        ProjectFollow.objects.select_for_update().filter(token=token).first() if token else None
    )
    if follow is None:
        raise ApplicationError(_("Dieser Link ist ungültig."))
    if follow.unsubscribed_at is None:
        follow.unsubscribed_at = timezone.now()
        follow.save(update_fields=["unsubscribed_at"])
    return follow


def project_follow_send_confirmation(*, follow_id: int) -> bool:
    """Send the confirmation link once. Returns whether an e-mail went out."""
    from ..emails import follow_confirm_message

    with transaction.atomic():
        follow = (
            ProjectFollow.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk=follow_id)
            .first()
        )
        if (
            follow is None
            or follow.confirmation_sent_at
            or follow.confirmed_at
            or follow.unsubscribed_at
            or not follow.project.live
        ):
            return False
        # sent inside the row lock: a second delivery of the task waits and then finds it done
        follow_confirm_message(follow).send()
        follow.confirmation_sent_at = timezone.now()
        follow.save(update_fields=["confirmation_sent_at"])
    return True


# --- Mitmachpool ----------------------------------------------------------------------------------
@transaction.atomic
def pool_subscribe(
    *, email: str = "", user=None, fields_of_action: Iterable = (), districts: Iterable = ()
) -> PoolSubscription:
    """Subscribe to the Mitmachpool with a choice of Handlungsfelder and Stadtteile (none: all).

    New or unconfirmed: the choice is saved and a confirmation link mailed. Already subscribed:
    the choice is not changed by someone who only knows the address; the settings link is mailed
    instead (a signed-in person with the verified address changes it at once)."""
    email, verified = _address(email=email, user=user)
    user = user if user is not None and user.is_authenticated else None
    fields_of_action, districts = list(fields_of_action), list(districts)
    now = timezone.now()
    subscription, created = PoolSubscription.objects.select_for_update().get_or_create(
        email=email, defaults={"user": user}
    )
    if not created and subscription.is_active:
        if verified:
            subscription.fields_of_action.set(fields_of_action)
            subscription.districts.set(districts)
        else:
            subscription.settings_link_requested_at = now
            subscription.save(update_fields=["settings_link_requested_at"])
            _ring_on_commit("following_pool_settings_link_task", subscription.pk)
        return subscription
    if not created and subscription.unsubscribed_at is None and not verified:
        # not confirmed yet: the new choice counts; a new link only now and then
        subscription.fields_of_action.set(fields_of_action)
        subscription.districts.set(districts)
        if _may_resend(subscription):
            subscription.confirmation_sent_at = None
            subscription.save(update_fields=["confirmation_sent_at"])
            _ring_on_commit("following_pool_confirm_task", subscription.pk)
        return subscription
    subscription.user = user or subscription.user
    subscription.created_at = now
    subscription.unsubscribed_at = None
    subscription.confirmed_at = now if verified else None
    subscription.confirmation_sent_at = None
    subscription.save()
    subscription.fields_of_action.set(fields_of_action)
    subscription.districts.set(districts)
    if subscription.confirmed_at is None:
        _ring_on_commit("following_pool_confirm_task", subscription.pk)
    return subscription


@transaction.atomic
def pool_confirm(*, code: str) -> PoolSubscription:
    subscription = pool_subscription_from_code(code)
    subscription = PoolSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.unsubscribed_at is not None:
        raise ApplicationError(
            _("Sie haben sich vom Mitmachpool abgemeldet. Um wieder Nachrichten zu erhalten, "
              "melden Sie sich bitte neu an.")
        )  # fmt: skip
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def _pool_by_token(token: str) -> PoolSubscription:
    subscription = (
        PoolSubscription.objects.select_for_update().filter(token=token).first() if token else None
    )
    if subscription is None:
        raise ApplicationError(_("Dieser Link ist ungültig."))
    return subscription


@transaction.atomic
def pool_change(
    *, token: str, fields_of_action: Iterable = (), districts: Iterable = ()
) -> PoolSubscription:
    """Change the choice through the settings link (which only the address's owner receives)."""
    subscription = _pool_by_token(token)
    if subscription.unsubscribed_at is not None:
        raise ApplicationError(
            _("Sie haben sich vom Mitmachpool abgemeldet. Bitte melden Sie sich neu an.")
        )
    subscription.fields_of_action.set(list(fields_of_action))
    subscription.districts.set(list(districts))
    if subscription.confirmed_at is None:
        # the link reached the address: that confirms it as well as the confirmation link does
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


@transaction.atomic
def pool_unsubscribe(*, token: str) -> PoolSubscription:
    subscription = _pool_by_token(token)
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def pool_send_confirmation(*, subscription_id: int) -> bool:
    from ..emails import pool_confirm_message

    with transaction.atomic():
        subscription = PoolSubscription.objects.select_for_update().filter(pk=subscription_id)
        subscription = subscription.first()
        if (
            subscription is None
            or subscription.confirmation_sent_at
            or subscription.confirmed_at
            or subscription.unsubscribed_at
        ):
            return False
        pool_confirm_message(subscription).send()
        subscription.confirmation_sent_at = timezone.now()
        subscription.save(update_fields=["confirmation_sent_at"])
    return True


def pool_send_settings_link(*, subscription_id: int) -> bool:
    from ..emails import pool_settings_link_message

    with transaction.atomic():
        subscription = PoolSubscription.objects.select_for_update().filter(pk=subscription_id)
        subscription = subscription.first()
        if (
            subscription is None
            or subscription.unsubscribed_at
            or subscription.settings_link_requested_at is None
            or (
                subscription.settings_link_sent_at is not None
                and subscription.settings_link_sent_at >= subscription.settings_link_requested_at
            )
        ):
            return False
        pool_settings_link_message(subscription).send()
        subscription.settings_link_sent_at = timezone.now()
        subscription.save(update_fields=["settings_link_sent_at"])
    return True

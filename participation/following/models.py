"""Following a project and the Mitmachpool: e-mail subscriptions with double opt-in, and the
sent-log that makes every notice go out once.

Addresses are used for these e-mails only and never shown. `token` (random, stored) is the
secret of the unsubscribe and settings links; the confirmation link carries a signed, expiring
form of it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    email = models.EmailField(_("E-Mail-Adresse"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    confirmation_sent_at = models.DateTimeField(_("Bestätigung gesendet am"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angefragt am"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ProjectFollow(Subscription):
    """ "Vorhaben folgen": e-mails when a phase starts, a progress update or the result appears."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("Vorhaben"),
    )

    class Meta:
        verbose_name = _("Folgende*r eines Vorhabens")
        verbose_name_plural = _("Folgende von Vorhaben")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "email"], name="following_follow_once_per_email"
            )
        ]

    def __str__(self):
        return f"{self.project_id}: {self.pk}"


class PoolSubscription(Subscription):
    """Mitmachpool: news when participation opens in a project of the chosen Handlungsfelder and
    Stadtteile (none chosen: all)."""

    fields_of_action = models.ManyToManyField(
        "projects.FieldOfAction", blank=True, related_name="+", verbose_name=_("Handlungsfelder")
    )
    districts = models.ManyToManyField(
        "departments.District", blank=True, related_name="+", verbose_name=_("Stadtteile")
    )
    # "already subscribed": the settings link is mailed again when asked for
    settings_link_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    settings_link_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Mitmachpool-Abo")
        verbose_name_plural = _("Mitmachpool-Abos")
        constraints = [
            models.UniqueConstraint(fields=["email"], name="following_pool_once_per_email")
        ]

    def __str__(self):
        return str(self.pk)


class NoticeKind(models.TextChoices):
    PHASE = "phase", _("Neue Phase")
    UPDATE = "fortschritt", _("Fortschrittsmeldung")
    RESULT = "ergebnis", _("Ergebnis")
    PARTICIPATION = "beteiligung", _("Beteiligung startet (Mitmachpool)")


class ProjectNotice(models.Model):
    """The sent-log: one row per piece of news (a phase, an update, the result), unique, so that
    the scan may run any number of times and each notice still goes out once."""

    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    object_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "object_key"], name="following_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.project_id} {self.kind} {self.object_key}"


class NoticeDelivery(models.Model):
    """One e-mail of a notice to one follower or Mitmachpool subscriber, recorded before sending
    so that a task delivered twice sends it once."""

    notice = models.ForeignKey(ProjectNotice, on_delete=models.CASCADE, related_name="deliveries")
    follow = models.ForeignKey(
        ProjectFollow, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        PoolSubscription,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "follow"],
                condition=Q(follow__isnull=False),
                name="following_delivery_once_per_follow",
            ),
            models.UniqueConstraint(
                fields=["notice", "subscription"],
                condition=Q(subscription__isnull=False),
                name="following_delivery_once_per_subscription",
            ),
            models.CheckConstraint(
                condition=Q(follow__isnull=False) ^ Q(subscription__isnull=False),
                name="following_delivery_one_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.notice_id} → {self.follow_id or self.subscription_id}"

"""The one subscription table (app label `core`, see portal/core/models.py)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    PENDING = "pending", _("wartet auf Bestätigung")
    CONFIRMED = "confirmed", _("bestätigt")
    ENDED = "ended", _("beendet")


class Subscription(models.Model):
    """Someone who wants e-mails about something: a report, a project, a pool idea, or (no target,
    a `scope` of topics × districts) the Mitmachpool. `kind` names the declaration of the app
    ("reports.report"); the address is used for these e-mails only and never shown.

    No secret is stored: every link is signed (portal.core.subscriptions.services), the
    confirmation link also expires."""

    kind = models.CharField(_("Art"), max_length=60)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # a narrower choice inside the kind, plain ids only (Mitmachpool: {"fields_of_action": [..],
    # "districts": [..]}; empty lists mean all)
    scope = models.JSONField(_("Auswahl"), default=dict, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    # without an address the account's address is written to (supporters of a pool idea)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    confirmation_owed_at = models.DateTimeField(
        _("Bestätigung angefordert am"), null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    # SHA-256 of the stored token of a subscription from before the kernel: its unsubscribe and
    # settings links in e-mails already sent keep working (never a confirmation)
    legacy_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id", "email"],
                condition=Q(target_id__isnull=False) & ~Q(email=""),
                name="core_subscription_once_per_email",
            ),
            models.UniqueConstraint(
                fields=["kind", "email"],
                condition=Q(target_id__isnull=True) & ~Q(email=""),
                name="core_subscription_once_per_email_untargeted",
            ),
            models.UniqueConstraint(
                fields=["kind", "target_id", "user"],
                condition=Q(email="", user__isnull=False),
                name="core_subscription_once_per_account",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | Q(user__isnull=False),
                name="core_subscription_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "target_id", "state"], name="core_subscription_target"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.target_id or '-'}: {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state == State.CONFIRMED

    @property
    def address(self) -> str:
        """Where its e-mails go: its address, or the account's."""
        if self.email:
            return self.email
        if self.user is not None and self.user.is_active:
            return self.user.email
        return ""

    # the signed codes of its links, for templates (portal.core.subscriptions.services)
    @property
    def end_code(self) -> str:
        from .services import end_code

        return end_code(self)

    @property
    def manage_code(self) -> str:
        from .services import manage_code

        return manage_code(self)

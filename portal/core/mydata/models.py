"""A requested copy of a person's data (Art. 15 and 20 GDPR): built by a worker, offered behind a
secret link until it expires, then erased by the retention job."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _private_storage():
    return storages["private"]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ExportState(models.TextChoices):
    PENDING = "pending", _("wird erstellt")
    READY = "ready", _("bereit zum Herunterladen")
    FAILED = "failed", _("fehlgeschlagen")


class DataExport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # whose: an account, or what was sent with one Anliegen (its id; the kernel names no app)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="data_exports",
        verbose_name=_("Konto"),
    )
    case_id = models.PositiveBigIntegerField(_("Anliegen"), null=True, blank=True)
    # the address told when the copy is ready (an Anliegen's contact; accounts use theirs)
    recipient = models.EmailField(_("Benachrichtigung an"), blank=True)
    # staff built it for a request by letter: the copy includes the staff's working data
    by_staff = models.BooleanField(_("durch die Verwaltung"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    state = models.CharField(
        _("Stand"), max_length=10, choices=ExportState.choices, default=ExportState.PENDING
    )
    file = models.FileField(storage=_private_storage, upload_to="datenauskunft/", blank=True)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), default=0)
    counts = models.JSONField(_("Inhalt"), default=dict, blank=True)
    created_at = models.DateTimeField(_("angefordert am"), default=timezone.now, db_index=True)
    ready_at = models.DateTimeField(_("bereit seit"), null=True, blank=True)

    class Meta:
        app_label = "core"
        ordering = ["-created_at"]
        verbose_name = _("Datenauskunft")
        verbose_name_plural = _("Datenauskünfte")
        permissions = [
            ("manage_data_requests", _("Datenschutz-Anfragen bearbeiten (Auskunft, Löschung)"))
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.PRIVACY_EXPORT_DAYS)

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def downloadable(self) -> bool:
        return self.state == ExportState.READY and bool(self.file) and not self.expired

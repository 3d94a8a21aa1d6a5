"""The Ideenpool: ideas from citizens (online or through the MitMachBüro), their supports, the
e-mails their public timeline (their ticket's) owes authors and supporters, and the pool's KPI
counters."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.contributions.constants import ModerationState
from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.models import FieldOfAction, ProjectPage
from portal.departments.models import District

from .constants import (
    CLOSED_FOR_SUPPORT,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Stage,
)


class PoolIdea(models.Model):
    title = models.CharField(_("Titel"), max_length=TITLE_MAX)
    text = models.TextField(_("Beschreibung"), max_length=TEXT_MAX)
    field_of_action = models.ForeignKey(
        FieldOfAction,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Handlungsfeld"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stadtteil"),
    )
    address = models.CharField(_("Ort"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # a re-encoded copy without metadata (portal.core.images); the upload itself is never stored
    photo = models.FileField(_("Foto"), upload_to="ideen/%Y/", blank=True)
    improves = models.ForeignKey(
        ProjectPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verbessert das Vorhaben"),
    )
    became = models.ForeignKey(
        ProjectPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("daraus wurde das Vorhaben"),
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Verfasser*in"),
    )
    channel = models.CharField(
        _("Eingangskanal"),
        max_length=20,
        choices=ContributionChannel.choices,
        default=ContributionChannel.ONLINE,
    )
    # offline input: the name as staff noted it (never published) and who entered it
    offline_name = models.CharField(_("Name (nur intern)"), max_length=150, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )

    stage = models.CharField(
        _("Stufe"), max_length=30, choices=Stage.choices, default=Stage.SUBMITTED
    )
    stage_reason = models.TextField(_("Begründung"), blank=True, max_length=REASON_MAX)
    stage_changed_at = models.DateTimeField(_("Stufe seit"), null=True, blank=True)
    # moderation (the same vocabulary as comments and project ideas)
    state = models.CharField(
        _("Zustand"),
        max_length=30,
        choices=ModerationState.choices,
        default=ModerationState.VISIBLE,
    )
    moderation_reason = models.TextField(_("Begründung der Moderation"), blank=True)

    # supports: counted in this column in the transaction that adds or withdraws one, never per
    # row of a list
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)
    support_ends_at = models.DateTimeField(_("Unterstützung möglich bis"))
    quorum_reached_at = models.DateTimeField(_("Quorum erreicht am"), null=True, blank=True)

    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anliegen"),
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    first_answer_at = models.DateTimeField(_("erste Antwort am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Idee im Ideenpool")
        verbose_name_plural = _("Ideen im Ideenpool")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="ideas_state_submitted"),
            models.Index(fields=["state", "support_count"], name="ideas_state_supports"),
            models.Index(fields=["state", "support_ends_at"], name="ideas_state_ends"),
            models.Index(fields=["stage", "submitted_at"], name="ideas_stage_submitted"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:detail", kwargs={"pk": self.pk})

    @property
    def is_visible(self) -> bool:
        return self.state == ModerationState.VISIBLE

    @property
    def is_offline(self) -> bool:
        return self.channel in OFFLINE_CHANNELS

    @property
    def public_title(self) -> str:
        if self.state == ModerationState.DELETED:
            return str(_("Gelöschte Idee"))
        if not self.is_visible:
            return str(_("Ausgeblendete Idee"))
        return self.title

    @property
    def author_name(self) -> str:
        if self.author_id is None or self.is_offline:
            return str(_("anonym"))
        return self.author.public_name

    def support_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        if not self.is_visible or self.stage in CLOSED_FOR_SUPPORT:
            return False
        return moment < self.support_ends_at

    @property
    def quorum(self) -> int:
        return settings.IDEAS_QUORUM_SUPPORTS

    @property
    def quorum_percent(self) -> int:
        return min(100, round(100 * self.support_count / max(1, self.quorum)))

    @property
    def quorum_missing(self) -> int:
        return max(0, self.quorum - self.support_count)

    def days_left(self, moment=None) -> int:
        """Whole days until the support window closes (0 on its last day or after)."""
        moment = moment or timezone.now()
        return max(0, (self.support_ends_at - moment).days)


class PoolSupport(models.Model):
    """Unterstützung: one per person and idea; withdrawing deletes it (while the window is open)."""

    idea = models.ForeignKey(PoolIdea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="ideas_support_once")]
        indexes = [models.Index(fields=["user", "idea"], name="ideas_support_user")]

    def __str__(self):
        return f"{self.idea_id}:{self.user_id}"


class PoolStatistics(models.Model):
    """The KPI counters (Smart-City-Strategie: eingebrachte und umgesetzte Vorschläge), moved in
    the transaction of the change they count. One row."""

    submitted = models.PositiveIntegerField(_("eingereicht"), default=0)
    admissible = models.PositiveIntegerField(_("zulässig"), default=0)
    implemented = models.PositiveIntegerField(_("umgesetzt"), default=0)
    established = models.PositiveIntegerField(_("verstetigt"), default=0)
    rejected = models.PositiveIntegerField(_("abgelehnt"), default=0)
    quorum_reached = models.PositiveIntegerField(_("Quorum erreicht"), default=0)

    class Meta:
        verbose_name = _("Kennzahlen des Ideenpools")
        verbose_name_plural = _("Kennzahlen des Ideenpools")

    def __str__(self):
        return str(self._meta.verbose_name)

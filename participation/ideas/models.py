"""The Ideenpool: ideas from citizens (online or through the MitMachBüro) on the shared input
model (contributions.Idea: text, author, place, moderation, supports), and the pool's KPI
counters."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.projects.models import FieldOfAction, ProjectPage

from .constants import (
    CLOSED_FOR_SUPPORT,
    REASON_MAX,
    Stage,
)


class PoolIdeaManager(models.Manager):
    """Every pool idea comes with its input (one join, no query per row)."""

    def get_queryset(self):
        return super().get_queryset().select_related("input")


def _shared(name: str, doc: str = ""):
    """A read-only view of a field of the shared input (contributions.Idea)."""
    return property(lambda self: getattr(self.input, name), doc=doc or name)


class PoolIdea(models.Model):
    """What only a pool idea has (its Handlungsfeld, photo, the quorum window and its stage, the
    Vorhaben it improves or became) on top of its input: one contributions.Idea (title, text,
    author, channel, place, district, moderation state, supports, the link to its ticket) whose
    discussion target is this pool idea. The ticket's source is the pool idea."""

    input = models.OneToOneField(
        "contributions.Idea",
        on_delete=models.CASCADE,
        related_name="pool_idea",
        verbose_name=_("Beitrag"),
    )
    field_of_action = models.ForeignKey(
        FieldOfAction,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Handlungsfeld"),
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

    stage = models.CharField(
        _("Stufe"), max_length=30, choices=Stage.choices, default=Stage.SUBMITTED
    )
    stage_reason = models.TextField(_("Begründung"), blank=True, max_length=REASON_MAX)
    stage_changed_at = models.DateTimeField(_("Stufe seit"), null=True, blank=True)
    # the support window; the supports and their count are the input's
    support_ends_at = models.DateTimeField(_("Unterstützung möglich bis"))
    quorum_reached_at = models.DateTimeField(_("Quorum erreicht am"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    first_answer_at = models.DateTimeField(_("erste Antwort am"), null=True, blank=True)

    objects = PoolIdeaManager()

    class Meta:
        verbose_name = _("Idee im Ideenpool")
        verbose_name_plural = _("Ideen im Ideenpool")
        ordering = ["-submitted_at", "-pk"]
        # also for generic relations (a comment's target, the moderation queue's prefetch)
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["submitted_at"], name="ideas_submitted"),
            models.Index(fields=["support_ends_at"], name="ideas_ends"),
            models.Index(fields=["stage", "submitted_at"], name="ideas_stage_submitted"),
        ]

    # the shared input's fields, read through the idea
    title = _shared("title")
    text = _shared("text")
    author = _shared("author")
    author_id = _shared("author_id")
    channel = _shared("channel")
    offline_name = _shared("offline_name")
    entered_by = _shared("entered_by")
    entered_by_id = _shared("entered_by_id")
    state = _shared("state")
    moderation_reason = _shared("moderation_reason")
    address = _shared("address")
    latitude = _shared("latitude")
    longitude = _shared("longitude")
    district = _shared("district")
    district_id = _shared("district_id")
    support_count = _shared("support_count")
    ticket = _shared("ticket")
    ticket_id = _shared("ticket_id")
    is_visible = _shared("is_visible")
    is_offline = _shared("is_offline")
    public_title = _shared("public_title")
    author_name = _shared("author_name")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ideas:detail", kwargs={"pk": self.pk})

    def get_channel_display(self) -> str:
        return self.input.get_channel_display()

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

"""Ideas, comments and supports on a discussion target (a project, a pool idea)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.models import Phase, ProjectPage
from portal.departments.models import District

from ..constants import (
    CHANNEL_RECEIVED,
    TEXT_MAX,
    TITLE_MAX,
    ContributionKind,
    ModerationState,
)

PLACEHOLDER_DELETED = _("Dieser Beitrag wurde gelöscht.")
# the author of a contribution whose account was erased (portal.core.mydata.erasure)
ERASED_ACCOUNT = _("gelöschtes Konto")
PLACEHOLDER_HIDDEN = _("Von der Moderation ausgeblendet: %(reason)s")
PLACEHOLDER_AUTO_HIDDEN = _(
    "Dieser Beitrag wurde mehrfach gemeldet und ist ausgeblendet, bis die Moderation ihn "
    "geprüft hat."
)


class ContributionQuerySet(models.QuerySet):
    def for_target(self, target):
        """Attached to `target` (a project, a pool idea, …)."""
        from ..targets import target_q

        return self.filter(target_q(target))


class Contribution(models.Model):
    """What ideas and comments share: who, where from, the text, and its moderation state. It
    belongs to a discussion target (targets.py): a Vorhaben, a pool idea, …"""

    kind: str  # a ContributionKind, set by each model

    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("gehört zu")
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
    text = models.TextField(_("Text"), max_length=TEXT_MAX)
    state = models.CharField(
        _("Zustand"),
        max_length=30,
        choices=ModerationState.choices,
        default=ModerationState.VISIBLE,
        db_index=True,
    )
    moderation_reason = models.TextField(_("Begründung der Moderation"), blank=True)
    open_report_count = models.PositiveIntegerField(_("offene Meldungen"), default=0)
    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anliegen"),
    )
    # offline input: the citizen's name as staff noted it (never published) and who entered it
    offline_name = models.CharField(_("Name (nur intern)"), max_length=150, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(_("eingegangen am"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def project(self) -> ProjectPage | None:
        """The Vorhaben this belongs to, when its target is one (pool ideas: None)."""
        target = self.target
        return target if isinstance(target, ProjectPage) else None

    @property
    def target_kind(self):
        from ..targets import kind_for

        # get_for_id is cached: no query per row
        return kind_for(ContentType.objects.get_for_id(self.target_type_id).model_class())

    @property
    def is_visible(self) -> bool:
        return self.state == ModerationState.VISIBLE

    @property
    def is_offline(self) -> bool:
        return self.channel in OFFLINE_CHANNELS

    @property
    def channel_received(self) -> str:
        """The public mark of offline input, e.g. "im MitMachBüro eingegangen"."""
        return str(CHANNEL_RECEIVED.get(self.channel, ""))

    @property
    def author_name(self) -> str:
        """The only thing the public learns about the author (offline: nothing; an erased
        account: that it was erased)."""
        if self.is_offline:
            return str(_("anonym"))
        if self.author_id is None:
            return str(ERASED_ACCOUNT)
        return self.author.public_name

    @property
    def placeholder(self) -> str:
        """What the public sees instead of the text, or "" when the text is shown."""
        if self.state == ModerationState.DELETED:
            return str(PLACEHOLDER_DELETED)
        if self.state == ModerationState.HIDDEN:
            return str(PLACEHOLDER_HIDDEN) % {"reason": self.moderation_reason}
        if self.state == ModerationState.AUTO_HIDDEN:
            return str(PLACEHOLDER_AUTO_HIDDEN)
        return ""

    @property
    def edit_deadline(self):
        return self.created_at + timedelta(minutes=settings.CONTRIBUTIONS_EDIT_MINUTES)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def kind_label(self) -> str:
        return ContributionKind(self.kind).label

    def participant_key(self) -> str:
        """Who took part, for the project's counters: the account, or this offline entry."""
        if self.is_offline or self.author_id is None:
            return f"offline:{self._meta.model_name}:{self.pk}"
        return f"user:{self.author_id}"


class Idea(Contribution):
    kind = ContributionKind.IDEA

    title = models.CharField(_("Titel"), max_length=TITLE_MAX)
    address = models.CharField(_("Ort"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stadtteil"),
    )
    support_count = models.PositiveIntegerField(_("Unterstützungen"), default=0)

    class Meta:
        verbose_name = _("Idee")
        verbose_name_plural = _("Ideen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="contrib_idea_target"
            ),
            # the Ideenpool's lists: visible inputs by their supports
            models.Index(fields=["state", "support_count"], name="contrib_idea_state_supports"),
        ]

    def __str__(self):
        return self.title or str(_("Idee %(pk)s") % {"pk": self.pk})

    @property
    def public_title(self) -> str:
        if self.state == ModerationState.DELETED:
            return str(_("Gelöschte Idee"))
        if not self.is_visible:
            return str(_("Ausgeblendete Idee"))
        return self.title

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Comment(Contribution):
    """On a target (a project, a pool idea), or on one of a project's ideas; a reply answers a
    comment (one level only)."""

    kind = ContributionKind.COMMENT

    idea = models.ForeignKey(
        Idea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("zur Idee"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("Antwort auf"),
    )

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "idea", "created_at"],
                name="contrib_comment_target",
            )
        ]

    def __str__(self):
        return str(_("Kommentar %(pk)s") % {"pk": self.pk})


class Support(models.Model):
    """Unterstützung: one per person and idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Unterstützung")
        verbose_name_plural = _("Unterstützungen")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="contributions_support_once")
        ]

    def __str__(self):
        return f"{self.idea_id}:{self.user_id}"

"""Moderation of contributions: reports ("Melden"), prepared reasons, the append-only log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from participation.projects.models import ProjectPage
from portal.core.workflow import AppendOnlyModel

from ..constants import REASON_MAX, REPORT_REASON_MAX, ModerationAction
from .contribution import Comment, Idea


def _one_target() -> Q:
    return Q(idea__isnull=False, comment__isnull=True) | Q(idea__isnull=True, comment__isnull=False)


class ContributionReport(models.Model):
    """Someone (with or without an account) says a contribution breaks the rules."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "user:<id>" or "browser:<random token of the session>": one report per person and target
    reporter_key = models.CharField(max_length=80)
    reason = models.TextField(_("Grund"), blank=True, max_length=REPORT_REASON_MAX)
    created_at = models.DateTimeField(_("gemeldet am"), default=timezone.now)
    resolved_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Meldung eines Beitrags")
        verbose_name_plural = _("Meldungen von Beiträgen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="contributions_report_one_target"),
            models.UniqueConstraint(
                fields=["idea", "reporter_key"], name="contributions_report_idea_once"
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="contributions_report_comment_once"
            ),
        ]

    def __str__(self):
        return str(self.pk)


class ReasonTemplate(models.Model):
    """A prepared reason for hiding a contribution (the author receives it by e-mail)."""

    title = models.CharField(_("Bezeichnung"), max_length=100)
    text = models.TextField(
        _("Begründung"),
        max_length=REASON_MAX,
        help_text=_("Erscheint öffentlich anstelle des Beitrags und in der E-Mail an die "
                    "Verfasserin oder den Verfasser."),
    )  # fmt: skip
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    panels = [FieldPanel("title"), FieldPanel("text"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("Begründung (Textbaustein)")
        verbose_name_plural = _("Begründungen (Textbausteine)")
        ordering = ["sort_order", "title"]

    def __str__(self):
        return self.title


class ModerationLog(AppendOnlyModel):
    """Every moderation decision: who, what, why, when, in which discussion (its target).
    Append-only."""

    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gehört zu"),
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("betroffene Person"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von"),
    )
    action = models.CharField(_("Entscheidung"), max_length=30, choices=ModerationAction.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    # what the decision was about, kept when the contribution is gone ("Kommentar 12")
    target_label = models.CharField(_("Beitrag"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("am"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Moderationsprotokoll")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "created_at"], name="contrib_log_target"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.target_label}"

    @property
    def contribution(self):
        return self.idea or self.comment

    @property
    def project(self) -> ProjectPage | None:
        target = self.target
        return target if isinstance(target, ProjectPage) else None

    @property
    def target_title(self) -> str:
        from ..selectors import target_title

        return target_title(self.target)

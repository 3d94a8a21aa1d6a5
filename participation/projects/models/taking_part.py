"""Taking part: a project's participation counters, its participants and blocked people."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pages import ProjectPage


class ProjectStatistics(models.Model):
    """Counters kept up to date when someone takes part, never counted on a page request."""

    project = models.OneToOneField(
        ProjectPage, on_delete=models.CASCADE, primary_key=True, related_name="statistics"
    )
    participants_online = models.PositiveIntegerField(default=0)
    participants_offline = models.PositiveIntegerField(default=0)
    contributions_online = models.PositiveIntegerField(default=0)
    contributions_offline = models.PositiveIntegerField(default=0)
    reactions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Beteiligungsstatistik")

    def __str__(self):
        return str(self.project_id)

    @property
    def participants(self) -> int:
        return self.participants_online + self.participants_offline

    @property
    def contributions(self) -> int:
        return self.contributions_online + self.contributions_offline


class ProjectParticipant(models.Model):
    """Who has taken part in a project (for counting distinct participants), by a key: the user
    id, the browser's poll token, or the staff entry of an offline contribution."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    offline = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Teilnahme an einem Vorhaben")
        verbose_name_plural = _("Teilnahmen an Vorhaben")
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="projects_participant_once")
        ]

    def __str__(self):
        return self.key


class ParticipationBlock(models.Model):
    """A person moderators have blocked from taking part (all projects), with the reason."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_block"
    )
    reason = models.TextField(_("Begründung"), max_length=1000)
    until = models.DateTimeField(_("gesperrt bis"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Sperre für Beteiligung")
        verbose_name_plural = _("Sperren für Beteiligung")

    def __str__(self):
        return str(self.user_id)

    def is_active(self, moment=None) -> bool:
        return self.until is None or (moment or timezone.now()) < self.until

"""Umfragen: a poll of a project with its questions and choices, and the responses to it.

A poll is answered while the project's running phase has the POLLS module (`projects.answer_poll`).
One response per browser (a signed cookie token) and per signed-in user; staff enter paper
questionnaires as offline responses with their channel.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel
from wagtail.models import Orderable

from participation.projects.constants import ContributionChannel

OTHER_TEXT_MAX = 300


class QuestionKind(models.TextChoices):
    SINGLE = "einfach", _("Einfachauswahl (eine Antwort)")
    MULTIPLE = "mehrfach", _("Mehrfachauswahl (mehrere Antworten)")
    TEXT = "freitext", _("Freitext")


class Poll(ClusterableModel):
    """An Umfrage shown on its project's page while the project's poll phase runs."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.CASCADE,
        related_name="polls",
        verbose_name=_("Vorhaben"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Einleitung"), blank=True, max_length=2000)
    is_published = models.BooleanField(
        _("veröffentlicht"),
        default=False,
        help_text=_(
            "Erst veröffentlichte Umfragen erscheinen auf der Seite des Vorhabens. Beantworten "
            "kann man sie, solange eine Phase mit dem Modul „Umfrage beantworten“ läuft."
        ),
    )
    sort_order = models.PositiveIntegerField(_("Reihenfolge auf der Seite"), default=0)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)

    panels = [
        FieldPanel("project"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("is_published"), FieldPanel("sort_order")]),
        HelpPanel(
            _(
                "Bitte ändern oder löschen Sie Fragen und Antwortmöglichkeiten nicht mehr, "
                "sobald die ersten Antworten eingegangen sind: gelöschte Fragen nehmen ihre "
                "Antworten mit."
            )
        ),
        InlinePanel("questions", label=_("Frage"), heading=_("Fragen"), min_num=1),
    ]

    class Meta:
        verbose_name = _("Umfrage")
        verbose_name_plural = _("Umfragen")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.title


class Question(Orderable, ClusterableModel):
    poll = ParentalKey(Poll, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis zur Frage"), max_length=300, blank=True)
    kind = models.CharField(
        _("Art"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    allow_other = models.BooleanField(
        _("„Sonstiges“ mit eigenem Text erlauben"),
        default=False,
        help_text=_("Nur bei Auswahlfragen."),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required"), FieldPanel("allow_other")]),
        InlinePanel(
            "choices",
            label=_("Antwortmöglichkeit"),
            heading=_("Antwortmöglichkeiten (nicht bei Freitext)"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self):
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Choice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("Antwort"), max_length=200)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("Antwortmöglichkeit")
        verbose_name_plural = _("Antwortmöglichkeiten")

    def __str__(self):
        return self.text


class Response(models.Model):
    """One filled-in poll: online (one per browser and per account) or a paper questionnaire
    entered by staff (offline channel, `entered_by`)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="poll_responses",
    )
    # the random token of the browser's signed cookie; empty for offline responses
    browser_key = models.CharField(max_length=64, blank=True, editable=False)
    channel = models.CharField(
        _("Weg"),
        max_length=20,
        choices=ContributionChannel.choices,
        default=ContributionChannel.ONLINE,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    created_at = models.DateTimeField(_("eingegangen am"), default=timezone.now)

    class Meta:
        verbose_name = _("Antwortbogen")
        verbose_name_plural = _("Antwortbögen")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=Q(user__isnull=False),
                name="polls_response_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["poll", "browser_key"],
                condition=~Q(browser_key=""),
                name="polls_response_once_per_browser",
            ),
        ]
        indexes = [models.Index(fields=["poll", "channel"])]

    def __str__(self):
        return f"{self.poll_id}/{self.pk}"

    @property
    def is_offline(self) -> bool:
        return self.channel != ContributionChannel.ONLINE


class Answer(models.Model):
    """The answer of one response to one question: chosen choices, "Sonstiges" text, free text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="answers")
    other_text = models.CharField(_("Sonstiges"), max_length=OTHER_TEXT_MAX, blank=True)
    text = models.TextField(_("Freitext"), blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="polls_answer_once_per_question"
            )
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"

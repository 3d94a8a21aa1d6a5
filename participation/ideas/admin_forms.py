"""The forms of the Ideenpool's back office. They parse; the services decide (and word the
refusals: a reason that is missing, a stage that is not allowed, a role that may not act)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from participation.projects.models import FieldOfAction, ProjectPage
from portal.departments.models import District

from .constants import REASON_MAX, STAGE_WORKFLOW, TEXT_MAX, TITLE_MAX, Stage


class StageForm(forms.Form):
    """The next stage of one idea, and the public text that goes with it. The first step of an
    idea in "eingereicht" is the Vorprüfung (zulässig / unzulässig)."""

    stage = forms.ChoiceField(label=_("Nächste Stufe"))
    public_text = forms.CharField(
        label=_("Öffentlicher Text"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wird auf der Seite der Idee veröffentlicht und per E-Mail an die Verfasserin oder "
            "den Verfasser und an alle Unterstützenden geschickt. Pflicht bei „unzulässig“ und "
            "„nicht aufgenommen“: Niemand erhält eine Absage ohne Begründung."
        ),
    )

    def __init__(self, *args, idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_precheck = idea.stage == Stage.SUBMITTED
        self.fields["stage"].choices = STAGE_WORKFLOW.choices(idea.stage)
        if self.is_precheck:
            self.fields["stage"].label = _("Ergebnis der Vorprüfung")
        self.fields["stage"].error_messages["invalid_choice"] = _(
            "Diese Stufe ist für die Idee nicht (mehr) möglich. Bitte laden Sie die Seite neu."
        )


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ProjectLinkForm(forms.Form):
    """Mit Vorhaben verknüpfen: the Vorhaben an accepted idea became (or none)."""

    project = ProjectChoiceField(
        label=_("Vorhaben"),
        queryset=ProjectPage.objects.none(),
        required=False,
        empty_label=_("– kein Vorhaben –"),
        help_text=_(
            "Die Verknüpfung erscheint auf der Seite der Idee; Verfasser*in und Unterstützende "
            "erhalten eine E-Mail."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = ProjectPage.objects.live().order_by("title")


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Öffentlich steht statt der Idee „Ausgeblendete Idee“; der Grund bleibt intern."
        ),
    )


class RestoreForm(forms.Form):
    """Show a hidden idea again (nothing to enter)."""


class OfflineIdeaForm(forms.Form):
    """An idea that reached the MitMachBüro at the counter, by letter, by phone or at an event."""

    channel = forms.ChoiceField(
        label=_("eingegangen"),
        choices=[
            (value, label)
            for value, label in ContributionChannel.choices
            if value in OFFLINE_CHANNELS
        ],
        initial=ContributionChannel.MITMACHBUERO,
    )
    offline_name = forms.CharField(
        label=_("Name der Bürgerin oder des Bürgers (freiwillig, nur intern)"),
        required=False,
        max_length=150,
        help_text=_("Wird nie veröffentlicht. Öffentlich steht „anonym“ mit dem Eingangsweg."),
    )
    title = forms.CharField(
        label=_("Titel der Idee"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Bitte geben Sie der Idee einen Titel.")},
    )
    text = forms.CharField(
        label=_("Beschreibung"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bitte beschreiben Sie die Idee.")},
    )
    field_of_action = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=FieldOfAction.objects.none(),
        error_messages={"required": _("Bitte wählen Sie ein Handlungsfeld.")},
    )
    district = forms.ModelChoiceField(
        label=_("Stadtteil (freiwillig)"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("– kein bestimmter Stadtteil –"),
    )
    address = forms.CharField(
        label=_("Ort (freiwillig)"),
        required=False,
        max_length=200,
        help_text=_("Zum Beispiel eine Straße, ein Platz oder eine Haltestelle."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field_of_action"].queryset = FieldOfAction.objects.order_by("code")
        self.fields["district"].queryset = District.objects.order_by("name")

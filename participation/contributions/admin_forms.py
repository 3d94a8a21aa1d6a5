"""The forms of the moderation pages in the Wagtail admin. They parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import OFFLINE_CHANNELS, ContributionChannel
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category

from .constants import REASON_MAX, TEXT_MAX, TITLE_MAX, ContributionKind, ModerationState
from .selectors import reason_template_list

MSG_REASON_REQUIRED = _("Bitte wählen Sie einen Textbaustein oder schreiben Sie eine Begründung.")


class ReasonTemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class HideForm(forms.Form):
    """Hide (or confirm an auto-hide): the reason is shown publicly and e-mailed to the author."""

    template = ReasonTemplateChoiceField(
        label=_("Textbaustein"),
        queryset=reason_template_list(),
        required=False,
        empty_label=_("– eigener Text –"),
    )
    reason = forms.CharField(
        label=_("Begründung"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Erscheint öffentlich anstelle des Beitrags und geht per E-Mail an die Verfasserin "
            "oder den Verfasser. Leer: der Text des Textbausteins."
        ),
    )

    def clean(self):
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if not reason and data.get("template") is not None:
            reason = data["template"].text
        if not reason:
            raise forms.ValidationError(MSG_REASON_REQUIRED)
        data["reason"] = reason
        return data


class RestoreForm(forms.Form):
    note = forms.CharField(
        label=_("Notiz für das Protokoll (freiwillig)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TicketForm(forms.Form):
    """Als Anliegen weitergeben: the category decides the department (routing rules)."""

    category = forms.ModelChoiceField(
        label=_("Kategorie des Anliegens"),
        queryset=Category.objects.filter(kind=CategoryKind.REPORT, is_active=True).order_by(
            "sort_order", "name"
        ),
        error_messages={"required": _("Bitte wählen Sie eine Kategorie.")},
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Sperre"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Die Person erhält sie per E-Mail."),
        error_messages={"required": MSG_REASON_REQUIRED},
    )
    until = forms.DateTimeField(
        label=_("gesperrt bis (freiwillig)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y"],
        help_text=_("Leer: bis die Sperre aufgehoben wird."),
    )


class UnblockForm(forms.Form):
    note = RestoreForm.base_fields["note"]


class OfflineForm(forms.Form):
    """A contribution that reached the city on paper, by phone or at an event."""

    kind = forms.ChoiceField(
        label=_("Art des Beitrags"),
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        initial=ContributionKind.IDEA,
    )
    channel = forms.ChoiceField(
        label=_("eingegangen"),
        choices=[
            (value, label)
            for value, label in ContributionChannel.choices
            if value in OFFLINE_CHANNELS
        ],
        initial=ContributionChannel.MITMACHBUERO,
    )
    idea = forms.ModelChoiceField(
        label=_("Kommentar zur Idee (freiwillig)"),
        queryset=None,
        required=False,
        empty_label=_("– zum Vorhaben allgemein –"),
        help_text=_("Nur bei Kommentaren."),
    )
    title = forms.CharField(
        label=_("Titel der Idee"),
        required=False,
        max_length=TITLE_MAX,
        help_text=_("Nur bei Ideen."),
    )
    text = forms.CharField(
        label=_("Text"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    citizen_name = forms.CharField(
        label=_("Name der Bürgerin oder des Bürgers (freiwillig, nur intern)"),
        required=False,
        max_length=150,
        help_text=_("Wird nie veröffentlicht. Öffentlich steht „anonym“ mit dem Eingangsweg."),
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Idea

        self.fields["idea"].queryset = (
            Idea.objects.for_target(project).filter(state=ModerationState.VISIBLE).order_by("title")
        )

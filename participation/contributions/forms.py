"""The public forms: idea, comment, edit, report. They parse and validate; the services write and
decide who may."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import MSG_LOCATION_INVALID, HoneypotMixin, location_field

from .constants import REPORT_REASON_MAX, TEXT_MAX, TITLE_MAX


def _text_field(label, *, required_message, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": required_message,
            "max_length": _("Bitte fassen Sie sich kürzer (höchstens %(limit_value)d Zeichen)."),
        },
    )


class IdeaForm(forms.Form):
    prefix = "idee"

    title = forms.CharField(
        label=_("Titel Ihrer Idee"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Bitte geben Sie Ihrer Idee einen Titel."),
            "max_length": _("Der Titel ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )
    text = _text_field(
        _("Beschreibung"),
        required_message=_("Bitte beschreiben Sie Ihre Idee."),
        help_text=_("Was schlagen Sie vor, und warum?"),
    )
    address = forms.CharField(
        label=_("Ort (freiwillig)"),
        required=False,
        max_length=200,
        help_text=_("Zum Beispiel eine Straße, ein Platz oder ein Gebäude."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    latitude = location_field()
    longitude = location_field()

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(MSG_LOCATION_INVALID)
        return data


class IdeaEditForm(forms.Form):
    prefix = "idee"

    title = IdeaForm.base_fields["title"]
    text = IdeaForm.base_fields["text"]


class CommentForm(forms.Form):
    prefix = "kommentar"

    text = _text_field(
        _("Ihr Kommentar"), required_message=_("Bitte schreiben Sie Ihren Kommentar.")
    )


class ReplyForm(forms.Form):
    prefix = "antwort"

    text = _text_field(_("Ihre Antwort"), required_message=_("Bitte schreiben Sie Ihre Antwort."))


class ReportForm(HoneypotMixin, forms.Form):
    reason = forms.CharField(
        label=_("Was stimmt mit diesem Beitrag nicht? (freiwillig)"),
        required=False,
        max_length=REPORT_REASON_MAX,
        help_text=_("Zum Beispiel: beleidigend, Werbung, persönliche Daten anderer."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Bitte fassen Sie sich kürzer (höchstens %(limit_value)d Zeichen)."),
        },
    )

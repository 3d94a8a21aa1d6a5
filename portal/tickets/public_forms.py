"""The citizen's forms on their status page: the answer to a question, "nicht behoben" and how
satisfied they are. They parse; the services in services/dialogue.py decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import RadioSelect
from portal.core.images import PhotoRejected, clean_photo

from .services.dialogue import COMMENT_MAX, TEXT_MAX

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic"
TOO_LONG = _(
    "Bitte fassen Sie sich kürzer: höchstens %(limit_value)d Zeichen (jetzt %(show_value)d)."
)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Ihre Antwort"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Bitte schreiben Sie Ihre Antwort."), "max_length": TOO_LONG},
    )
    photo = forms.FileField(
        label=_("Foto (optional)"),
        help_text=_("JPEG, PNG, WebP oder HEIC, höchstens 10 MB. Es wird nicht veröffentlicht."),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return clean_photo(upload)
        except PhotoRejected as error:
            raise forms.ValidationError(error.messages[0]) from None


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Was ist noch nicht behoben?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Bitte beschreiben Sie, was noch nicht behoben ist."),
            "max_length": TOO_LONG,
        },
    )


RATINGS = [
    (5, _("5 – sehr zufrieden")),
    (4, _("4 – zufrieden")),
    (3, _("3 – teils, teils")),
    (2, _("2 – unzufrieden")),
    (1, _("1 – sehr unzufrieden")),
]


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Sind Sie mit der Bearbeitung zufrieden?"),
        choices=RATINGS,
        coerce=int,
        widget=RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie eine Bewertung von 1 bis 5."),
            "invalid_choice": _("Bitte wählen Sie eine Bewertung von 1 bis 5."),
        },
    )
    comment = forms.CharField(
        label=_("Möchten Sie uns noch etwas sagen? (optional)"),
        help_text=_(
            "Geht nur an die Stadtverwaltung. Veröffentlicht wird nur die Bewertung als Zahl, "
            "ohne Ihren Namen."
        ),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )

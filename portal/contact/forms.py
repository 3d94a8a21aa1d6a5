"""The two public forms that open an Anliegen. They parse and validate; `contact_submit` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.forms import HoneypotMixin, RadioSelect, location_field
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category

from .constants import ACCESSIBILITY_CATEGORY_SLUG

MESSAGE_MAX_LENGTH = 5000
LOCATION_FIELDS = ("latitude", "longitude")


class ContactForm(HoneypotMixin, forms.Form):
    """What both forms share: the message, an optional e-mail address and the honeypot."""

    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Bitte beschreiben Sie Ihr Anliegen."),
            "max_length": _(
                "Bitte fassen Sie sich kürzer: höchstens %(limit_value)d Zeichen "
                "(jetzt %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            # Answers go to the account's address; it is shown on the page, not asked for.
            del self.fields["email"]


class GeneralContactForm(ContactForm):
    category = forms.ModelChoiceField(
        label=_("Worum geht es?"),
        queryset=Category.objects.none(),
        empty_label=None,
        widget=RadioSelect,
        error_messages={
            "required": _("Bitte wählen Sie aus, worum es geht."),
            "invalid_choice": _("Bitte wählen Sie eines der genannten Themen aus."),
        },
    )
    address = forms.CharField(
        label=_("Ort"),
        help_text=_(
            "Straße und Hausnummer oder eine Ortsbeschreibung, z. B. „Spielplatz am Ruhrufer“."
        ),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = location_field(limit=90)
    longitude = location_field(limit=180)

    field_order = ["category", "message", "address", "email", "homepage"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            is_active=True, kind=CategoryKind.REPORT
        ).exclude(slug=ACCESSIBILITY_CATEGORY_SLUG)
        self.fields["message"].help_text = _(
            "Was ist passiert, seit wann, was wünschen Sie sich? Höchstens 5.000 Zeichen."
        )
        if "email" in self.fields:
            self.fields["email"].help_text = _(
                "Optional. Dann schicken wir Ihnen die Eingangsbestätigung und jede Änderung des "
                "Bearbeitungsstands. Ohne E-Mail-Adresse erhalten Sie nur den Link zur "
                "Statusseite auf der nächsten Seite – bitte speichern Sie ihn dann."
            )

    def clean(self):
        cleaned_data = super().clean()
        if any(self.has_error(name) for name in LOCATION_FIELDS):
            self._forget_location()
            return cleaned_data
        latitude, longitude = (cleaned_data.get(name) for name in LOCATION_FIELDS)
        if (latitude is None) != (longitude is None):
            self.add_error(None, _("Der Ort auf der Karte ist unvollständig."))
            self._forget_location()
        return cleaned_data

    def _forget_location(self) -> None:
        """A broken map position cannot be fixed by hand (the fields are hidden): drop it, so
        that the form shown again with the error can be sent with the address alone."""
        self.data = self.data.copy()
        for name in LOCATION_FIELDS:
            self.data[self.add_prefix(name)] = ""

    def non_field_errors(self):
        # errors of the hidden map fields are shown once, as errors of the form
        errors = list(super().non_field_errors())
        for name in LOCATION_FIELDS:
            errors += [error for error in self.errors.get(name, []) if error not in errors]
        return self.error_class(errors, error_class="nonfield", renderer=self.renderer)

    def hidden_fields(self):
        return [field for field in super().hidden_fields() if field.name not in LOCATION_FIELDS]


class AccessibilityFeedbackForm(ContactForm):
    page_url = forms.CharField(
        label=_("Betroffene Seite"),
        help_text=_("Die Adresse (URL) oder der Titel der Seite, auf der die Barriere auftrat."),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url"}),
        error_messages={
            "max_length": _("Bitte kürzen Sie die Angabe auf höchstens %(limit_value)d Zeichen."),
        },
    )

    field_order = ["message", "page_url", "email", "homepage"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = _("Welche Barriere ist Ihnen aufgefallen?")
        self.fields["message"].error_messages["required"] = _("Bitte beschreiben Sie die Barriere.")
        self.fields["message"].help_text = _(
            "Zum Beispiel: Was wollten Sie tun, was hat nicht funktioniert, welche Hilfsmittel "
            "nutzen Sie (etwa Screenreader oder Vergrößerung)? Höchstens 5.000 Zeichen."
        )
        if "email" in self.fields:
            self.fields["email"].help_text = _(
                "Optional, aber empfohlen: An diese Adresse schicken wir unsere Antwort."
            )

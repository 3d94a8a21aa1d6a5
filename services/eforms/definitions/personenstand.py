"""Personenstandsurkunde: birth, marriage or death certificate from the Standesamt's registers."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.money import euros

from ..registry import register
from ..uploads import ProofFileField
from .base import Document, Fee, LineItem, ServiceForm, Step, StepForm

KEY = "personenstandsurkunde"
# The fee schedule (demo values after the Gebührenordnung): the form charges by it, and the
# catalogue page and the start page publish it.
FIRST_COPY = Fee(1200, _("für die erste Urkunde"))
FURTHER_COPY = Fee(600, _("für jede weitere Ausfertigung derselben Urkunde"))
MAX_COPIES = 10
# Registers are kept by the Standesamt for 110 (birth), 80 (marriage) and 30 (death) years; older
# entries are in the city archive (§ 5 Abs. 5 PStG).
REGISTER_YEARS = {"geburt": 110, "ehe": 80, "sterbe": 30}


KIND_CHOICES = [
    ("geburt", _("Geburtsurkunde")),
    ("ehe", _("Eheurkunde")),
    ("sterbe", _("Sterbeurkunde")),
]
PURPOSE_CHOICES = [
    ("rente", _("Rentenangelegenheit")),
    ("ehe", _("Eheschließung")),
    ("pass", _("Pass- oder Ausweisangelegenheit")),
    ("erbe", _("Erbschaft / Nachlass")),
    ("sonstiges", _("sonstiger Zweck")),
]
RELATION_CHOICES = [
    ("selbst", _("Ich bin die Person, die in der Urkunde steht.")),
    ("familie", _("Ehe-/Lebenspartner*in, Vorfahre oder Abkömmling der Person")),
    ("interesse", _("Ich habe ein rechtliches Interesse (Nachweis erforderlich).")),
]
DELIVERY_CHOICES = [
    ("post", _("per Post an die unten angegebene Anschrift")),
    ("download", _("als Download (PDF) in „Mein Konto“")),
]


class CertificateStep(StepForm):
    kind = forms.ChoiceField(
        label=_("Welche Urkunde benötigen Sie?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    copies = forms.IntegerField(
        label=_("Anzahl der Urkunden"),
        min_value=1,
        max_value=MAX_COPIES,
        initial=1,
        help_text=format_lazy(
            _("Die erste Urkunde kostet {first}, jede weitere Ausfertigung {further}."),
            first=euros(FIRST_COPY.amount_minor),
            further=euros(FURTHER_COPY.amount_minor),
        ),
        error_messages={
            "min_value": _("Bitte bestellen Sie mindestens eine Urkunde."),
            "max_value": _("Online können Sie höchstens 10 Urkunden bestellen."),
            "invalid": _("Bitte geben Sie die Anzahl als ganze Zahl an."),
        },
    )
    purpose = forms.ChoiceField(
        label=_("Wofür benötigen Sie die Urkunde?"), choices=PURPOSE_CHOICES
    )


class PersonStep(StepForm):
    family_name = forms.CharField(label=_("Familienname"), max_length=100)
    given_names = forms.CharField(label=_("Vornamen"), max_length=150)
    birth_name = forms.CharField(
        label=_("Geburtsname (falls abweichend)"), max_length=100, required=False
    )
    event_date = forms.DateField(
        label=_("Datum des Ereignisses"),
        help_text=_("Tag der Geburt, der Eheschließung oder des Todes."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )
    event_place = forms.CharField(
        label=_("Ort des Ereignisses"),
        max_length=100,
        initial="Schwerte",
        help_text=_("Das Standesamt Schwerte stellt Urkunden für Ereignisse in Schwerte aus."),
    )

    def clean_event_date(self):
        value = self.cleaned_data["event_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return value

    def clean_event_place(self):
        value = self.cleaned_data["event_place"].strip()
        if value.casefold() not in {"schwerte", "schwerte (ruhr)", "schwerte/ruhr"}:
            raise forms.ValidationError(
                _(
                    "Das Standesamt Schwerte kann nur Urkunden für Ereignisse in Schwerte "
                    "ausstellen. Bitte wenden Sie sich an das Standesamt des Ereignisortes."
                )
            )
        return "Schwerte"

    def clean(self):
        cleaned = super().clean()
        kind = self.answers.get("kind")
        event_date = cleaned.get("event_date")
        if kind in REGISTER_YEARS and event_date:
            years = REGISTER_YEARS[kind]
            limit = timezone.localdate().replace(year=timezone.localdate().year - years)
            if event_date < limit:
                self.add_error(
                    "event_date",
                    _(
                        "Einträge, die älter als %(years)s Jahre sind, liegen im Stadtarchiv. "
                        "Bitte wenden Sie sich an das Stadtarchiv Schwerte."
                    )
                    % {"years": years},
                )
        return cleaned


class ApplicantStep(StepForm):
    relation = forms.ChoiceField(
        label=_("In welcher Beziehung stehen Sie zu der Person?"),
        choices=RELATION_CHOICES,
        widget=forms.RadioSelect,
    )
    proof = ProofFileField(label=_("Nachweis des rechtlichen Interesses"), required=False)
    delivery = forms.ChoiceField(
        label=_("Wie möchten Sie die Urkunde erhalten?"),
        choices=DELIVERY_CHOICES,
        widget=forms.RadioSelect,
    )
    # the address block of the letter; asked for only when the certificate goes by post
    recipient_name = forms.CharField(
        label=_("Name der Empfängerin oder des Empfängers"),
        max_length=120,
        required=False,
        help_text=_("Nur bei Versand per Post: So steht es auf dem Umschlag."),
    )
    address_extra = forms.CharField(
        label=_("Adresszusatz (freiwillig)"),
        max_length=120,
        required=False,
        help_text=_("Zum Beispiel c/o, Hinterhaus oder Wohnungsnummer."),
    )
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120, required=False)
    postcode = forms.RegexField(
        label=_("Postleitzahl"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Bitte geben Sie eine fünfstellige Postleitzahl an.")},
    )
    city = forms.CharField(label=_("Ort"), max_length=80, required=False)

    POSTAL_FIELDS = {
        "recipient_name": _("Bitte geben Sie an, an wen wir die Urkunde schicken sollen."),
        "street": _("Bitte geben Sie Straße und Hausnummer für den Versand an."),
        "postcode": _("Bitte geben Sie die Postleitzahl für den Versand an."),
        "city": _("Bitte geben Sie den Ort für den Versand an."),
    }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relation") == "interesse" and not cleaned.get("proof"):
            if "proof" not in self.answers.get("_files", []) and "proof" not in self.errors:
                self.add_error("proof", _("Bitte laden Sie einen Nachweis hoch."))
        if cleaned.get("delivery") == "post":
            for name, message in self.POSTAL_FIELDS.items():
                if name not in self.errors and not (cleaned.get(name) or "").strip():
                    self.add_error(name, message)
            street = (cleaned.get("street") or "").strip()
            if street and "street" not in self.errors and not any(c.isdigit() for c in street):
                self.add_error("street", _("Bitte geben Sie auch die Hausnummer an."))
        return cleaned


class PersonenstandForm(ServiceForm):
    def line_items(self, answers):
        copies = int(answers.get("copies") or 0)
        if copies < 1:
            return []
        label = dict(KIND_CHOICES).get(answers.get("kind"), _("Urkunde"))
        items = [LineItem(description=str(label), quantity=1, unit_minor=FIRST_COPY.amount_minor)]
        if copies > 1:
            items.append(
                LineItem(
                    description=str(_("%(kind)s, weitere Ausfertigung") % {"kind": label}),
                    quantity=copies - 1,
                    unit_minor=FURTHER_COPY.amount_minor,
                )
            )
        return items

    def ticket_summary(self, answers):
        label = dict(KIND_CHOICES).get(answers.get("kind"), _("Urkunde"))
        delivery = dict(DELIVERY_CHOICES).get(answers.get("delivery"), "")
        return str(
            _("Online-Antrag: %(kind)s, %(copies)s Exemplar(e), Versand %(delivery)s")
            % {"kind": label, "copies": answers.get("copies"), "delivery": delivery}
        )

    def documents_for(self, answers):
        return self.documents if answers.get("delivery") == "download" else []


FORM = register(
    PersonenstandForm(
        key=KEY,
        title=_("Personenstandsurkunde beantragen"),
        intro=_(
            "Beantragen Sie eine Geburts-, Ehe- oder Sterbeurkunde aus den Registern des "
            "Standesamtes Schwerte. Die Gebühr bezahlen Sie online."
        ),
        steps=[
            Step("urkunde", _("Urkunde"), CertificateStep),
            Step("person", _("Person und Ereignis"), PersonStep),
            Step("antragsteller", _("Berechtigung und Versand"), ApplicantStep),
        ],
        documents=[Document("urkunde", _("Urkunde (PDF)"), "eforms/pdf/certificate.html")],
        fees=[FIRST_COPY, FURTHER_COPY],
    )
)

"""Auszug aus dem Liegenschaftskataster (Flurkarte): ordered online, paid online, released as a
PDF download after payment."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..registry import register
from .base import Document, Fee, LineItem, ServiceForm, Step, StepForm

KEY = "flurkarte"
FORMAT_CHOICES = [
    ("karte_a4", _("Flurkarte A4 (PDF)")),
    ("karte_a3", _("Flurkarte A3 (PDF)")),
    ("nachweis", _("Flurstücks- und Eigentumsnachweis (PDF)")),
]
# The fee schedule, charged and published (demo fees, modelled on the NRW Vermessungs- und
# Wertermittlungsgebührenordnung)
FEES = {
    product: Fee(amount, format_lazy(_("je {product}"), product=label))
    for (product, label), amount in zip(FORMAT_CHOICES, (1500, 2500, 1500), strict=True)
}
PURPOSE_CHOICES = [
    ("bauantrag", _("Bauantrag / Bauvoranfrage")),
    ("kauf", _("Kauf oder Verkauf")),
    ("bank", _("Finanzierung / Bank")),
    ("sonstiges", _("sonstiger Zweck")),
]
LOCATE_CHOICES = [
    ("adresse", _("über die Adresse")),
    ("flurstueck", _("über Gemarkung, Flur und Flurstück")),
]
GEMARKUNGEN = [
    ("", _("– bitte wählen –")),
    ("schwerte", "Schwerte"),
    ("ergste", "Ergste"),
    ("geisecke", "Geisecke"),
    ("holzen", "Holzen"),
    ("villigst", "Villigst"),
    ("westhofen", "Westhofen"),
]


class ParcelStep(StepForm):
    locate_by = forms.ChoiceField(
        label=_("Wie möchten Sie das Grundstück angeben?"),
        choices=LOCATE_CHOICES,
        widget=forms.RadioSelect,
        initial="adresse",
    )
    address = forms.CharField(
        label=_("Adresse des Grundstücks"),
        max_length=150,
        required=False,
        help_text=_("Straße und Hausnummer in Schwerte, z. B. Rathausstraße 31"),
    )
    gemarkung = forms.ChoiceField(label=_("Gemarkung"), choices=GEMARKUNGEN, required=False)
    flur = forms.IntegerField(label=_("Flur"), min_value=1, max_value=99, required=False)
    flurstueck = forms.RegexField(
        label=_("Flurstück"),
        regex=r"^\d{1,5}(/\d{1,4})?$",
        required=False,
        help_text=_("Zähler oder Zähler/Nenner, z. B. 123/4"),
        error_messages={"invalid": _("Bitte geben Sie das Flurstück wie 123 oder 123/4 an.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("locate_by") == "adresse":
            address = (cleaned.get("address") or "").strip()
            if not address:
                self.add_error("address", _("Bitte geben Sie die Adresse des Grundstücks an."))
            elif not any(char.isdigit() for char in address):
                self.add_error("address", _("Bitte geben Sie auch die Hausnummer an."))
        elif cleaned.get("locate_by") == "flurstueck":
            for name, message in (
                ("gemarkung", _("Bitte wählen Sie die Gemarkung.")),
                ("flur", _("Bitte geben Sie die Flur an.")),
                ("flurstueck", _("Bitte geben Sie das Flurstück an.")),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return cleaned


class ProductStep(StepForm):
    product = forms.ChoiceField(
        label=_("Was benötigen Sie?"), choices=FORMAT_CHOICES, widget=forms.RadioSelect
    )
    purpose = forms.ChoiceField(label=_("Verwendungszweck"), choices=PURPOSE_CHOICES)
    owner_confirmed = forms.BooleanField(
        label=_(
            "Ich bin Eigentümer*in oder habe ein berechtigtes Interesse an den Angaben zum "
            "Eigentum."
        ),
        required=False,
        help_text=_("Nur für den Eigentumsnachweis erforderlich."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("product") == "nachweis" and not cleaned.get("owner_confirmed"):
            self.add_error(
                "owner_confirmed",
                _("Den Eigentumsnachweis erhalten nur Eigentümer*innen oder Berechtigte."),
            )
        return cleaned


class FlurkarteForm(ServiceForm):
    def line_items(self, answers):
        product = answers.get("product")
        if product not in FEES:
            return []
        label = dict(FORMAT_CHOICES)[product]
        return [LineItem(description=str(label), quantity=1, unit_minor=FEES[product].amount_minor)]

    def ticket_summary(self, answers):
        product = dict(FORMAT_CHOICES).get(answers.get("product"), "")
        if answers.get("locate_by") == "flurstueck":
            where = _("Gemarkung %(g)s, Flur %(f)s, Flurstück %(s)s") % {
                "g": dict(GEMARKUNGEN).get(answers.get("gemarkung"), ""),
                "f": answers.get("flur"),
                "s": answers.get("flurstueck"),
            }
        else:
            where = answers.get("address", "")
        return str(
            _("Online-Bestellung: %(product)s – %(where)s") % {"product": product, "where": where}
        )


FORM = register(
    FlurkarteForm(
        key=KEY,
        title=_("Flurkarte oder Katasterauszug bestellen"),
        intro=_(
            "Bestellen Sie einen amtlichen Auszug aus dem Liegenschaftskataster. Nach der "
            "Zahlung steht das Dokument in „Mein Konto“ zum Download bereit."
        ),
        steps=[
            Step("grundstueck", _("Grundstück"), ParcelStep),
            Step("auszug", _("Auszug"), ProductStep),
        ],
        documents=[
            Document(
                "auszug",
                _("Auszug aus dem Liegenschaftskataster (PDF)"),
                "eforms/pdf/cadastre.html",
            )
        ],
        fees=list(FEES.values()),
    )
)

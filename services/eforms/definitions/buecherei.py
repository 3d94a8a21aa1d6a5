"""Büchereiausweis: apply for a library card or renew one; free for children and young people."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..registry import register
from .base import Fee, LineItem, ServiceForm, Step, StepForm

KEY = "buechereiausweis"
# The fee schedule, charged and published (demo values)
ADULT_FEE = Fee(1000, _("je Jahr für Erwachsene"))
YOUNG_FEE = Fee(0, _("für Kinder und Jugendliche unter 18 Jahren kostenlos"))
KIND_CHOICES = [("neu", _("neuen Ausweis beantragen")), ("verlaengern", _("Ausweis verlängern"))]
BRANCH_CHOICES = [
    ("mitte", _("Stadtbücherei Schwerte, Ruhrstraße")),
    ("ergste", _("Zweigstelle Ergste")),
]


def _age(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class CardStep(StepForm):
    kind = forms.ChoiceField(
        label=_("Was möchten Sie tun?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    card_number = forms.RegexField(
        label=_("Ausweisnummer"),
        regex=r"^\d{8}$",
        required=False,
        help_text=_("Nur bei Verlängerung: die achtstellige Nummer auf Ihrem Ausweis."),
        error_messages={"invalid": _("Die Ausweisnummer hat acht Ziffern.")},
    )
    birth_date = forms.DateField(
        label=_("Geburtsdatum des Ausweisinhabers"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bis 17 Jahre ist der Ausweis kostenlos."),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an.")},
    )
    holder_name = forms.CharField(label=_("Name des Ausweisinhabers"), max_length=150)
    branch = forms.ChoiceField(
        label=_("Abholung in"), choices=BRANCH_CHOICES, widget=forms.RadioSelect
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("Das Geburtsdatum liegt in der Zukunft."))
        if _age(value, today) > 120:
            raise forms.ValidationError(_("Bitte prüfen Sie das Geburtsdatum."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "verlaengern" and not cleaned.get("card_number"):
            if "card_number" not in self.errors:
                self.add_error("card_number", _("Bitte geben Sie die Ausweisnummer an."))
        return cleaned


class BuechereiForm(ServiceForm):
    def line_items(self, answers):
        birth = answers.get("birth_date")
        if not birth or _age(dt.date.fromisoformat(birth), timezone.localdate()) < 18:
            return []
        label = _("Jahresgebühr Büchereiausweis")
        return [LineItem(description=str(label), quantity=1, unit_minor=ADULT_FEE.amount_minor)]

    def ticket_summary(self, answers):
        kind = dict(KIND_CHOICES).get(answers.get("kind"), "")
        branch = dict(BRANCH_CHOICES).get(answers.get("branch"), "")
        return str(
            _("Büchereiausweis: %(kind)s, Abholung %(branch)s") % {"kind": kind, "branch": branch}
        )


FORM = register(
    BuechereiForm(
        key=KEY,
        title=_("Büchereiausweis beantragen oder verlängern"),
        intro=_(
            "Beantragen Sie einen Ausweis der Stadtbücherei oder verlängern Sie Ihren Ausweis um "
            "ein Jahr."
        ),
        steps=[Step("ausweis", _("Ausweis"), CardStep)],
        fees=[ADULT_FEE, YOUNG_FEE],
    )
)

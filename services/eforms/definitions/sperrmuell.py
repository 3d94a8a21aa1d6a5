"""Sperrmüll-Termin: bulky waste collection on a free date; no fee in Schwerte (demo)."""

import datetime as dt

import holidays
from django import forms
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..constants import SubmissionStatus
from ..registry import register
from .base import Fee, ServiceForm, Step, StepForm

KEY = "sperrmuell"
SLOTS_PER_DAY = 25  # collections the Technische Betriebe can do per working day
LEAD_DAYS = 3  # the first bookable day, counted from today
HORIZON_DAYS = 35
POSTCODES = {"58239"}  # Schwerte
ITEM_CHOICES = [
    ("moebel", _("Möbel (z. B. Schrank, Sofa, Tisch)")),
    ("matratzen", _("Matratzen und Lattenroste")),
    ("teppiche", _("Teppiche und Bodenbeläge")),
    ("sonstiges", _("sonstige sperrige Haushaltsgegenstände")),
]


def pickup_days(today: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """The bookable working days with their free places, in one query."""
    today = today or timezone.localdate()
    public_holidays = holidays.country_holidays(
        "DE", subdiv="NW", years={today.year, today.year + 1}
    )
    candidates = []
    day = today + dt.timedelta(days=LEAD_DAYS)
    while day <= today + dt.timedelta(days=HORIZON_DAYS):
        if day.weekday() < 5 and day not in public_holidays:
            candidates.append(day)
        day += dt.timedelta(days=1)
    from ..models import Submission

    booked = dict(
        Submission.objects.filter(
            form_key=KEY,
            status__in=[SubmissionStatus.RELEASED, SubmissionStatus.AWAITING_PAYMENT],
            appointment_date__in=candidates,
        )
        .values("appointment_date")
        .annotate(count=Count("id"))
        .values_list("appointment_date", "count")
    )
    return [
        (day, SLOTS_PER_DAY - booked.get(day, 0))
        for day in candidates
        if booked.get(day, 0) < SLOTS_PER_DAY
    ]


class DateChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, **kwargs)

    @staticmethod
    def _choices_now():
        return [
            (
                day.isoformat(),
                _("%(day)s (noch %(free)s Termine frei)")
                % {"day": day.strftime("%d.%m.%Y"), "free": free},
            )
            for day, free in pickup_days()
        ]


class ItemsStep(StepForm):
    items = forms.MultipleChoiceField(
        label=_("Was soll abgeholt werden?"),
        choices=ITEM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens eine Art von Gegenständen.")},
    )
    description = forms.CharField(
        label=_("Welche Gegenstände genau?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel: 1 Kleiderschrank, 2 Stühle, 1 Matratze."),
    )
    volume = forms.IntegerField(
        label=_("Menge in Kubikmetern (ungefähr)"),
        min_value=1,
        max_value=5,
        help_text=_("Je Abholung höchstens 5 m³."),
        error_messages={
            "max_value": _("Je Abholung können höchstens 5 m³ mitgenommen werden."),
            "min_value": _("Bitte geben Sie mindestens 1 m³ an."),
        },
    )


class AppointmentStep(StepForm):
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120)
    postcode = forms.CharField(label=_("Postleitzahl"), max_length=5, initial="58239")
    pickup_date = DateChoiceField(
        label=_("Abholtermin"),
        help_text=_("Bitte stellen Sie die Gegenstände am Vorabend bis 22 Uhr an die Straße."),
        error_messages={
            "invalid_choice": _(
                "Dieser Termin ist nicht mehr frei. Bitte wählen Sie einen anderen Termin."
            )
        },
    )
    phone = forms.CharField(
        label=_("Telefon für Rückfragen"),
        max_length=30,
        required=False,
        help_text=_("freiwillig"),
    )

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if value not in POSTCODES:
            raise forms.ValidationError(
                _("Die Sperrmüllabfuhr holt nur in Schwerte (PLZ 58239) ab.")
            )
        return value

    def clean_street(self):
        value = self.cleaned_data["street"].strip()
        if not any(char.isdigit() for char in value):
            raise forms.ValidationError(_("Bitte geben Sie auch die Hausnummer an."))
        return value


class SperrmuellForm(ServiceForm):
    def appointment_date(self, answers):
        day = answers.get("pickup_date")
        return dt.date.fromisoformat(day) if day else None

    def ticket_summary(self, answers):
        day = answers.get("pickup_date")
        shown = dt.date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""
        return str(
            _("Sperrmüll-Abholung am %(day)s, ca. %(volume)s m³")
            % {"day": shown, "volume": answers.get("volume")}
        )


FORM = register(
    SperrmuellForm(
        key=KEY,
        title=_("Sperrmüll-Abholung anmelden"),
        intro=_(
            "Melden Sie bis zu 5 m³ Sperrmüll zur Abholung an und wählen Sie einen freien Termin."
        ),
        fees=[Fee(0, _("Die Abholung ist mit der Abfallgebühr abgegolten."))],
        steps=[
            Step("gegenstaende", _("Gegenstände"), ItemsStep),
            Step("termin", _("Ort und Termin"), AppointmentStep),
        ],
    )
)

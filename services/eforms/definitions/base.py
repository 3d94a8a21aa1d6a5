"""What a code-defined service form is: steps of Django forms, a fee rule, a summary for the
review page, the receipt and the department, and the documents released after payment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.money import euros

REVIEW_TITLE = _("Angaben prüfen und absenden")


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form_class: type[forms.Form]


@dataclass(frozen=True)
class LineItem:
    description: str
    quantity: int
    unit_minor: int

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_minor


@dataclass(frozen=True)
class Fee:
    """One line of a form's fee schedule. The schedule is declared once, in the form: the form
    charges by it (`line_items`), and the catalogue page and the start page publish it."""

    amount_minor: int
    text: str  # what the amount is for: "für die erste Urkunde"

    def __str__(self) -> str:
        if not self.amount_minor:
            return str(self.text)  # "für Kinder und Jugendliche unter 18 Jahren kostenlos"
        return f"{euros(self.amount_minor)} {self.text}"


@dataclass(frozen=True)
class Document:
    """A document the applicant may download once the application is released (paid)."""

    slug: str
    title: str
    template: str


@dataclass
class ServiceForm:
    key: str
    title: str
    intro: str
    steps: list[Step]
    documents: list[Document] = field(default_factory=list)
    # None: the form publishes no schedule, and its service page's own fee fields apply
    fees: list[Fee] | None = None

    # --- progress ------------------------------------------------------------------------------
    @property
    def stage_titles(self) -> list[str]:
        """What the applicant goes through, as the start page, the progress indicator and
        "Schritt x von y" count it: the form's steps, then the review."""
        return [*(str(step.title) for step in self.steps), str(REVIEW_TITLE)]

    # --- answers -------------------------------------------------------------------------------
    def step_index(self, slug: str) -> int | None:
        for index, step in enumerate(self.steps):
            if step.slug == slug:
                return index
        return None

    def build_form(self, index: int, *, data=None, files=None, answers=None) -> forms.Form:
        step = self.steps[index]
        initial = {
            name: value
            for name, value in (answers or {}).items()
            if name in step.form_class.base_fields
        }
        form = step.form_class(data=data, files=files, initial=initial, answers=answers)
        for name in (answers or {}).get("_files", []):
            if name in form.fields:  # a stored upload is kept unless a new one comes
                form.fields[name].required = False
        return form

    def validate_all(self, answers: dict) -> list[tuple[Step, forms.Form]]:
        """Re-validate every step from the stored answers (nothing from the browser is trusted
        twice); returns the steps that fail. File fields count as filled when stored."""
        failing = []
        for step in self.steps:
            data = {}
            for name, form_field in step.form_class.base_fields.items():
                if isinstance(form_field, forms.FileField):
                    continue
                value = answers.get(name)
                if isinstance(form_field, forms.MultipleChoiceField):
                    data[name] = value or []
                elif isinstance(form_field, forms.BooleanField):
                    if value:
                        data[name] = "on"
                elif value is not None:
                    data[name] = value
            form = step.form_class(data=data, answers=answers)
            for name in answers.get("_files", []):
                if name in form.fields:  # stored earlier: it need not come again
                    form.fields[name].required = False
            if not form.is_valid():
                failing.append((step, form))
        return failing

    def documents_for(self, answers: dict) -> list[Document]:
        return list(self.documents)

    def appointment_date(self, answers: dict) -> dt.date | None:
        """The booked day, for forms that book a slot (counted per day against capacity)."""
        return None

    # --- money ---------------------------------------------------------------------------------
    def line_items(self, answers: dict) -> list[LineItem]:
        return []

    def fee_minor(self, answers: dict) -> int:
        return sum(item.total_minor for item in self.line_items(answers))

    @property
    def fee_text(self) -> str:
        """The published schedule: "12,00 € für die erste Urkunde; 6,00 € für jede weitere …"."""
        return "; ".join(str(fee) for fee in self.fees or [])

    # --- texts ---------------------------------------------------------------------------------
    def summary(self, answers: dict, files: dict[str, str] | None = None) -> list[tuple]:
        """(step title, [(label, value), ...]) for the review page, the receipt and staff."""
        sections = []
        for step in self.steps:
            rows = []
            for name, form_field in step.form_class.base_fields.items():
                if isinstance(form_field, forms.FileField):
                    if files and name in files:
                        rows.append((form_field.label, files[name]))
                    continue
                value = answers.get(name)
                if value in (None, "", []):
                    continue
                rows.append((form_field.label, display_value(form_field, value)))
            if rows:
                sections.append((step.title, rows))
        return sections

    def ticket_summary(self, answers: dict) -> str:
        """What the department's queue shows; no names or addresses (see the source panel)."""
        return str(self.title)


class StepForm(forms.Form):
    """A step's form. `answers` are the stored answers of all steps, for checks across steps."""

    def __init__(self, *args, answers=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.answers = answers or {}


def display_value(form_field, value) -> str:
    if isinstance(form_field, forms.BooleanField):
        return str(_("ja") if value else _("nein"))
    if isinstance(form_field, forms.MultipleChoiceField):
        labels = dict(form_field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    if isinstance(form_field, forms.DateField):
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)


def to_json(value):
    """A cleaned value as stored in Submission.data."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value

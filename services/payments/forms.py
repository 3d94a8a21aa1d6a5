"""Forms of the payments back office. They parse input only; the services decide."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import PaymentState

_EURO = re.compile(r"^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+([.,]\d{1,2})?$")


def parse_euro(text: str) -> int | None:
    """ "12,50" / "12.50" / "1.234,50" / "12" → cents; None when it is not an amount."""
    value = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not _EURO.match(value):
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") == 1 and len(value.rsplit(".", 1)[1]) == 3:
        value = value.replace(".", "")  # "1.234": thousands, not decimals
    try:
        return int((Decimal(value) * 100).to_integral_value())
    except InvalidOperation:
        return None


class PaymentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Suche (Zahlungsnummer)"),
        required=False,
        max_length=100,
        help_text=_("z. B. ZB-7F3A9C21"),
    )
    state = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle"))] + PaymentState.choices
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)

    def selector_kwargs(self) -> dict:
        if not self.is_valid():
            return {}
        return {"state": self.cleaned_data["state"], "query": self.cleaned_data["q"]}


class RefundForm(forms.Form):
    amount = forms.CharField(
        label=_("Betrag in Euro"),
        max_length=20,
        help_text=_("z. B. 12,50 – für eine Teilerstattung einen kleineren Betrag eintragen"),
    )
    reason = forms.CharField(
        label=_("Begründung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, refundable_minor: int = 0, **kwargs):
        kwargs.setdefault("auto_id", "refund-%s")
        super().__init__(*args, **kwargs)
        self.refundable_minor = refundable_minor

    def clean_amount(self) -> int:
        cents = parse_euro(self.cleaned_data["amount"])
        if cents is None:
            raise forms.ValidationError(_("Bitte geben Sie einen Betrag wie 12,50 ein."))
        if cents <= 0:
            raise forms.ValidationError(_("Der Betrag muss größer als 0 € sein."))
        return cents

"""Form parts every public form shares: the honeypot, the radio buttons, the map position.

Templates show the honeypot with `{% include "includes/honeypot.html" %}` (hidden by the
`.honeypot` style in static/css/portal.css) and radio buttons with includes/field.html.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "homepage"
MSG_LOCATION_INVALID = _("Der Ort auf der Karte ist ungültig.")


class RadioSelect(forms.RadioSelect):
    """Radio buttons whose error-summary link leads to the first option, not to the page top.
    (The class name keeps Django's widget_type "radioselect", which includes/field.html uses.)"""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class HoneypotMixin(forms.Form):
    """A field people never see (and are told to leave empty if they do) and form-filling bots
    fill. It replaces a CAPTCHA, which would lock out many people. The view checks `is_spam`
    and answers as if it had worked, without writing anything."""

    homepage = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def is_spam(self) -> bool:
        if HONEYPOT_FIELD not in self.fields:
            return False
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())


def location_field(*, limit: int | None = None) -> forms.DecimalField:
    """A coordinate the map fills in (hidden; without JavaScript the address is enough). It
    cannot be corrected by hand, so every malformed value gets the same message. `limit` (90
    for a latitude, 180 for a longitude) refuses what lies off the globe."""
    bounds = {}
    if limit is not None:
        bounds = {"min_value": Decimal(-limit), "max_value": Decimal(limit)}
    return forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.HiddenInput,
        error_messages=dict.fromkeys(
            (
                "invalid",
                "max_digits",
                "max_decimal_places",
                "max_whole_digits",
                "min_value",
                "max_value",
            ),
            MSG_LOCATION_INVALID,
        ),
        **bounds,
    )

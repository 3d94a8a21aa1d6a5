"""The admin form of a service page and the public filter form of the catalogue."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.core.online_forms import online_form_choices

NO_FORM = ("", _("– kein Online-Formular –"))


def form_key_choices(current: str = "") -> list[tuple[str, str]]:
    """The code-defined forms, asked for when a form is built (never at import time), plus the
    page's current key if that form is not (or no longer) registered, so saving keeps it."""
    choices = [NO_FORM, *online_form_choices()]
    if current and current not in {key for key, _label in choices}:
        choices.append((current, _("%(key)s (Formular nicht verfügbar)") % {"key": current}))
    return choices


class ServicePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("form_key")
        if field is not None:
            field.widget = forms.Select(choices=form_key_choices(self.instance.form_key))

    def clean_form_key(self):
        key = self.cleaned_data.get("form_key", "")
        known = {value for value, _label in online_form_choices()}
        if key and key not in known and key != self.instance.form_key:
            raise forms.ValidationError(_("Dieses Online-Formular gibt es nicht."))
        return key


VIEW_AZ = "az"
VIEW_TOPICS = "lebenslagen"


class ServiceFilterForm(forms.Form):
    """The catalogue's GET form: search, Lebenslage, the two flags and the view. Works without
    JavaScript; unknown values are ignored rather than shown as errors."""

    q = forms.CharField(
        label=_("Name oder Stichwort"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": 200, "class": "input"}),
    )
    thema = forms.ChoiceField(label=_("Lebenslage"), required=False)
    online = forms.BooleanField(label=_("nur Leistungen, die online möglich sind"), required=False)
    bezahlbar = forms.BooleanField(
        label=_("nur Leistungen, die online bezahlbar sind"), required=False
    )
    ansicht = forms.ChoiceField(
        label=_("Anzeigen"),
        required=False,
        choices=[(VIEW_AZ, _("von A bis Z")), (VIEW_TOPICS, _("nach Lebenslagen"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [
            ("", _("Alle Lebenslagen")),
            *((topic.slug, topic.name) for topic in topics),
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:200]

    def clean_ansicht(self) -> str:
        return self.cleaned_data["ansicht"] or VIEW_AZ

"""The filters of the Vorhabenliste (GET parameters, German names as in the address bar)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import ProjectStatus

MAX_QUERY_LENGTH = 100


class ProjectFilterForm(forms.Form):
    """Filters of the list, its map and its export. A value that does not fit is simply left out
    of `cleaned_data` (the list then shows everything for that filter)."""

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=MAX_QUERY_LENGTH)
    stand = forms.ChoiceField(
        label=_("Stand"),
        required=False,
        choices=[("", _("alle"))] + list(ProjectStatus.choices),
    )
    stadtteil = forms.TypedChoiceField(
        label=_("Stadtteil"), required=False, coerce=int, empty_value=None
    )
    handlungsfeld = forms.TypedChoiceField(
        label=_("Handlungsfeld"), required=False, coerce=int, empty_value=None
    )
    beteiligung = forms.BooleanField(
        label=_("Nur Vorhaben, bei denen Beteiligung läuft"), required=False
    )

    def __init__(self, *args, districts=(), fields_of_action=(), **kwargs):
        super().__init__(*args, **kwargs)
        # the choices come from lists the caller loaded once; validating asks the database nothing
        self.fields["stadtteil"].choices = [("", _("alle"))] + [(d.pk, d.name) for d in districts]
        self.fields["handlungsfeld"].choices = [("", _("alle"))] + [
            (f.pk, str(f)) for f in fields_of_action
        ]

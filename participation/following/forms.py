"""The forms of following and the Mitmachpool. They parse and validate; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.projects.models import FieldOfAction
from portal.core.forms import HoneypotMixin
from portal.departments.models import District

MSG_EMAIL_REQUIRED = _("Bitte geben Sie Ihre E-Mail-Adresse an.")
MSG_EMAIL_INVALID = _("Bitte geben Sie eine gültige E-Mail-Adresse an.")


class EmailMixin(forms.Form):
    """The address, or for a signed-in person nothing: their account's address is used."""

    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Sie erhalten zuerst eine E-Mail mit einem Bestätigungslink. Ihre Adresse wird nur "
            "dafür genutzt und nicht veröffentlicht."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": MSG_EMAIL_REQUIRED, "invalid": MSG_EMAIL_INVALID},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None and self.user.email:
            del self.fields["email"]

    @property
    def address(self) -> str:
        """The address as given (before validation: the rate limit counts every attempt)."""
        if "email" not in self.fields:
            return self.user.email
        return str(self.data.get(self.add_prefix("email"), ""))


class FollowForm(HoneypotMixin, EmailMixin, forms.Form):
    """ "Vorhaben folgen" on the project page."""

    prefix = "folgen"


class PoolChoiceForm(forms.Form):
    """Handlungsfelder and Stadtteile of the Mitmachpool; none chosen means all."""

    fields_of_action = forms.ModelMultipleChoiceField(
        label=_("Themen (Handlungsfelder)"),
        help_text=_("Wählen Sie nichts, erhalten Sie Nachrichten zu allen Themen."),
        queryset=FieldOfAction.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie eines der genannten Themen.")},
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Stadtteile"),
        help_text=_(
            "Wählen Sie nichts, erhalten Sie Nachrichten zu allen Stadtteilen. Vorhaben für die "
            "ganze Stadt erhalten Sie immer."
        ),
        queryset=District.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie einen der genannten Stadtteile.")},
    )


class PoolSubscribeForm(HoneypotMixin, EmailMixin, PoolChoiceForm):
    field_order = ["email", "fields_of_action", "districts"]

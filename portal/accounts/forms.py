from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name"]


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto und meine Daten endgültig löschen."),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie Ihr Konto endgültig löschen möchten.")
        },
    )

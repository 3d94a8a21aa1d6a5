from allauth.account.adapter import DefaultAccountAdapter

from .models import TrustLevel


class AccountAdapter(DefaultAccountAdapter):
    def confirm_email(self, request, email_address):
        super().confirm_email(request, email_address)
        user = email_address.user
        if user.trust_level < TrustLevel.EMAIL_CONFIRMED:
            user.trust_level = TrustLevel.EMAIL_CONFIRMED
            user.save(update_fields=["trust_level"])

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .sessions import clock_start

# Set when the second factor was proven in this session by setting it up (the code was checked
# right after the password was asked again); the admin then does not ask for it a second time.
SECOND_FACTOR_SESSION_KEY = "portal_second_factor_user"


@receiver(authenticator_added)
def remember_proven_second_factor(sender, request, user, authenticator, **kwargs):
    if authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        request.session[SECOND_FACTOR_SESSION_KEY] = user.pk


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        clock_start(request, user)

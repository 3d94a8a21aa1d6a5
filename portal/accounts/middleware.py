"""Staff sessions: a second factor before any admin page, and an end after inactivity.

Wagtail's own login form is replaced by allauth's (see `portal.accounts.auth_urls`), and allauth
asks for the second factor at login when one is set up. `AdminSecondFactorMiddleware` closes the
remaining gaps: a user with admin access whose session was not confirmed with a second factor is
sent to set one up, or to confirm it, before any admin page is served.

`StaffSessionTimeoutMiddleware` ends the session of a user with admin access after a while
without a request, and in any case some hours after the login (`portal.accounts.sessions`).
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .sessions import clock_expired
from .signals import SECOND_FACTOR_SESSION_KEY


def session_has_second_factor(request) -> bool:
    if request.session.get(SECOND_FACTOR_SESSION_KEY) == request.user.pk:
        return True
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class _AdminPathMixin:
    _admin_prefix = None

    @property
    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix


class StaffSessionTimeoutMiddleware(_AdminPathMixin):
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = clock_expired(request, admin_path=request.path.startswith(self.admin_prefix))
            if reason:
                # the request goes on without a user: the admin sends it to the login with `next`
                logout(request)
                messages.info(request, f"{reason} {_('Bitte melden Sie sich erneut an.')}")
        return self.get_response(request)


class AdminSecondFactorMiddleware(_AdminPathMixin):
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(self.admin_prefix)
            and request.user.is_authenticated
            and request.user.has_perm("wagtailadmin.access_admin")
            and not session_has_second_factor(request)
        ):
            return self.require_second_factor(request)
        return self.get_response(request)

    def require_second_factor(self, request):
        query = urlencode({"next": request.get_full_path()})
        if is_mfa_enabled(request.user):
            messages.info(
                request,
                _("Bitte bestätigen Sie Ihre Anmeldung mit dem zweiten Faktor."),
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.warning(
            request,
            _(
                "Für den Verwaltungsbereich ist eine Zwei-Faktor-Authentifizierung nötig. "
                "Bitte richten Sie jetzt eine Authenticator-App ein."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{query}")

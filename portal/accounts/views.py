from allauth.mfa.recovery_codes import views as recovery_code_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.core.mydata.erasure import erase_person
from portal.core.mydata.export import request_export
from portal.core.mydata.models import DataExport, ExportState
from portal.core.mydata.people import Person
from portal.core.mydata.views import fresh_login_required

from .forms import DeleteAccountForm, ProfileForm

# where a person was going when the second factor was asked for; read once it is set up
AFTER_SECOND_FACTOR_SESSION_KEY = "portal_after_second_factor"


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Angaben wurden gespeichert."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "has_mfa": is_mfa_enabled(request.user)},
    )


@login_required
def my_data(request):
    """Meine Daten (Art. 15 and 20 GDPR): ask for a copy, see it being built, download it."""
    if request.method == "POST":
        return _request_copy(request)
    exports = DataExport.objects.filter(user=request.user, by_staff=False)[:5]
    return render(
        request,
        "accounts/my_data.html",
        {
            "exports": exports,
            "pending": any(e.state == ExportState.PENDING for e in exports),
            "days": settings.PRIVACY_EXPORT_DAYS,
        },
    )


@fresh_login_required
def _request_copy(request):
    request_export(user=request.user)
    messages.success(
        request,
        _(
            "Wir stellen Ihre Daten zusammen. Sobald die Kopie bereit ist, schreiben wir Ihnen "
            "an %(email)s."
        )
        % {"email": request.user.email},
    )
    return redirect("accounts:my_data")


def _may_delete_itself(user) -> bool:
    # an account of the city's staff is closed by the administration, not by a click
    return not (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


@login_required
def delete_account(request):
    """Konto löschen (Art. 17 GDPR): after a fresh login, at once and for good."""
    if not _may_delete_itself(request.user):
        return render(request, "accounts/delete_account.html", {"staff": True})
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return _delete(request)
    return render(
        request,
        "accounts/delete_account.html",
        {"form": form, "open_cases": _open_cases(request.user)},
    )


def _open_cases(user) -> int:
    """Anliegen and applications still being handled: after the erasure the city can no longer
    write about them, and uploaded proofs are gone."""
    from portal.tickets.constants import CLOSED_STATUSES
    from portal.tickets.models import Ticket

    return Ticket.objects.filter(citizen=user).exclude(status__in=CLOSED_STATUSES).count()


@fresh_login_required
def _delete(request):
    # only confirmed addresses: an address typed but never confirmed may be somebody else's,
    # whose reports and subscriptions must not go with this account
    person = Person.of_user(request.user)
    logout(request)
    erase_person(person, label=_("Konto gelöscht auf Wunsch der Person"))
    return redirect("accounts:deleted")


def account_deleted(request):
    return render(request, "accounts/account_deleted.html")


def shared_password_disabled(request, **kwargs):
    """Wagtail's shared page and document passwords are switched off: a password is asked for
    only by allauth's login, with its rate limits, confirmation and second factor."""
    raise Http404


def remember_next_after_second_factor(request) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[AFTER_SECOND_FACTOR_SESSION_KEY] = target


def after_second_factor_url(request, *, forget: bool) -> str:
    """Where to go once the second factor is set up: where the person was going, else the
    admin for staff and the overview of the second factor for everyone else."""
    if forget:
        target = request.session.pop(AFTER_SECOND_FACTOR_SESSION_KEY, None)
    else:
        target = request.session.get(AFTER_SECOND_FACTOR_SESSION_KEY)
    if target:
        return target
    if request.user.has_perm("wagtailadmin.access_admin"):
        return reverse("wagtailadmin_home")
    return reverse("mfa_index")


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's activation, which keeps `next`: after the recovery codes (or at once, when
    none were made) the person continues where they were going."""

    def get(self, request, *args, **kwargs):
        remember_next_after_second_factor(request)
        return super().get(request, *args, **kwargs)

    def get_success_url(self) -> str:
        if self.did_generate_recovery_codes:
            return reverse("mfa_view_recovery_codes")
        return after_second_factor_url(self.request, forget=True)


class ViewRecoveryCodesView(recovery_code_views.ViewRecoveryCodesView):
    """The recovery codes, with a way on: never a dead end after setting up the factor."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["continue_url"] = after_second_factor_url(self.request, forget=True)
        return context

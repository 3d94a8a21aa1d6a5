"""Addresses that replace those of Wagtail and allauth, so that there is one login for
everyone: allauth's, with its rate limits, e-mail confirmation and second factor."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

_to_login = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    # Wagtail's own login forms would skip the confirmation and the second factor
    path("admin/login/", _to_login, name="wagtailadmin_login"),
    path("_util/login/", _to_login, name="wagtailcore_login"),
    # shared page and document passwords are switched off (WAGTAIL_PRIVATE_PAGE_OPTIONS)
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.shared_password_disabled,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "dokumente/authenticate_with_password/<int:restriction_id>/",
        views.shared_password_disabled,
        name="wagtaildocs_authenticate_with_password",
    ),
    # allauth's second-factor setup, keeping where the person was going
    path(
        "accounts/2fa/totp/activate/",
        views.ActivateTOTPView.as_view(),
        name="mfa_activate_totp",
    ),
    path(
        "accounts/2fa/recovery-codes/",
        views.ViewRecoveryCodesView.as_view(),
        name="mfa_view_recovery_codes",
    ),
]

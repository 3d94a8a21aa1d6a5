"""The download of a copy of one's data, and the check that a login is fresh."""

import time
from functools import wraps

from allauth.account import app_settings as allauth_settings
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from .models import DataExport

STAFF_PERMISSION = "core.manage_data_requests"


def login_is_fresh(request) -> bool:
    """The person logged in or confirmed the password within the last minutes
    (ACCOUNT_REAUTHENTICATION_TIMEOUT), in this session."""
    if not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    return time.time() - records[-1]["at"] < allauth_settings.REAUTHENTICATION_TIMEOUT


def fresh_login_required(view):
    """Log in, and confirm the password again if the login is older than a few minutes;
    allauth's confirmation page brings the person back (a POST is replayed)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not login_is_fresh(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return wrapper


def download(request, token):
    export = DataExport.objects.filter(token=token).select_related("user").first()
    if export is None:
        raise Http404
    if export.by_staff or export.user_id:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        allowed = (
            request.user.has_perm(STAFF_PERMISSION)
            if export.by_staff
            else request.user.pk == export.user_id
        )
        if not allowed:
            raise Http404
        if not login_is_fresh(request):
            raise ReauthenticationRequired()
    if not export.downloadable:
        return render(request, "core/mydata/expired.html", {"export": export}, status=410)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"meine-daten-{timezone.localtime(export.created_at):%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response

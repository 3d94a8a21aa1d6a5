"""The clock of a staff session: users with admin access are logged out after
`PORTAL_STAFF_SESSION_IDLE_MINUTES` without a request, and in any case
`PORTAL_STAFF_SESSION_MAX_HOURS` after the login. Citizens keep their sessions."""

import time

from django.conf import settings
from django.utils.translation import ngettext

from portal.core.throttling import STAFF_SESSION_KEY

# Kept under STAFF_SESSION_KEY: whether the session's user has admin access, when they logged
# in, when they were last seen.
# the last request is written to the session at most this often, not on every request
_SEEN_RESOLUTION_SECONDS = 30


def clock_start(request, user) -> None:
    now = time.time()
    request.session[STAFF_SESSION_KEY] = {
        "staff": user.has_perm("wagtailadmin.access_admin"),
        "started": now,
        "seen": now,
    }


def clock_expired(request, *, admin_path: bool) -> str | None:
    """Why the staff session of this request has ended, or None while it lasts (the request
    then counts as activity)."""
    state = request.session.get(STAFF_SESSION_KEY)
    if state is None or (not state["staff"] and admin_path):
        # a session from before this clock, or someone given admin access since the login
        if state is None or request.user.has_perm("wagtailadmin.access_admin"):
            clock_start(request, request.user)
        return None
    if not state["staff"]:
        return None
    now = time.time()
    idle_minutes = settings.PORTAL_STAFF_SESSION_IDLE_MINUTES
    max_hours = settings.PORTAL_STAFF_SESSION_MAX_HOURS
    if now - state["seen"] > idle_minutes * 60:
        return ngettext(
            "Sie wurden nach %(count)d Minute ohne Aktivität abgemeldet.",
            "Sie wurden nach %(count)d Minuten ohne Aktivität abgemeldet.",
            idle_minutes,
        ) % {"count": idle_minutes}
    if now - state["started"] > max_hours * 3600:
        return ngettext(
            "Eine Anmeldung gilt höchstens %(count)d Stunde; Sie wurden abgemeldet.",
            "Eine Anmeldung gilt höchstens %(count)d Stunden; Sie wurden abgemeldet.",
            max_hours,
        ) % {"count": max_hours}
    if now - state["seen"] >= _SEEN_RESOLUTION_SECONDS:
        request.session[STAFF_SESSION_KEY] = {**state, "seen": now}
    return None

"""The API's limits: three scopes, counted by the kernel's rate limit (portal.core.ratelimit, Redis
shared by every web process, a per-process count while Redis is down).

- **read** (GET, HEAD, OPTIONS of everybody who is not staff): generous, per address or per
  signed-in citizen; a city app or another client that sends its API key (header `X-API-Key` or
  the Open311 parameter `api_key`) is counted per key at the higher rate `read_key`, however many
  addresses it comes from or shares. A key that is unknown or revoked counts as none.
- **write** (every other method of everybody who is not staff): per citizen or address.
- **staff** (people with access to the administration): per person, everything they do.

The rates are DRF's `DEFAULT_THROTTLE_RATES` ("1200/min"; settings API_RATE_*). Over the limit,
the API answers 429 with Retry-After in its one error shape (portal.core.api_errors).
"""

from django.apps import apps
from django.conf import settings
from django.utils.functional import cached_property
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from .ratelimit import client_ip, rate_limit_hit

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
API_KEY_HEADER = "X-API-Key"
# The session's note whether its user had admin access at the login (kept by
# portal.accounts.sessions, read here and by the editors' bar in templates/base.html).
STAFF_SESSION_KEY = "portal_staff_session"


def parse_rate(rate: str) -> tuple[int, int]:
    """ "1200/min" -> (1200, 60), as DRF reads its rates."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period[0]]


def is_staff(request) -> bool:
    """Whether the person asking works for the city (admin access). A session that was not a
    staff session at its login is taken at its word (no permission queries on a citizen's
    request); someone given admin access since counts as a citizen until they sign in again."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or user.is_superuser:
        return True
    session = getattr(request, "session", None)
    state = session.get(STAFF_SESSION_KEY) if session is not None else None
    if state is not None and not state.get("staff"):
        return False
    return user.has_perm("wagtailadmin.access_admin")


def api_client(request):
    """The API client (`PORTAL_API_CLIENT_MODEL`, e.g. reports.ApiClient) whose key came with the
    request, or None. Looked up once per request."""
    if not hasattr(request, "_portal_api_client"):
        key = request.headers.get(API_KEY_HEADER) or request.GET.get("api_key") or ""
        model = apps.get_model(settings.PORTAL_API_CLIENT_MODEL)
        request._portal_api_client = model.for_key(key.strip()[:200]) if key else None
    return request._portal_api_client


class PortalThrottle(BaseThrottle):
    """One scope: `identify` answers (rate name, identity) for the requests the scope counts, or
    None for the others."""

    def identify(self, request) -> tuple[str, str] | None:
        raise NotImplementedError

    @cached_property
    def _rates(self) -> dict:
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view) -> bool:
        self._wait = None
        identified = self.identify(request)
        if identified is None:
            return True
        rate_name, identity = identified
        rate = self._rates.get(rate_name)
        if not rate:
            return True
        limit, seconds = parse_rate(rate)
        self._wait = rate_limit_hit(
            scope=f"api-{rate_name}", identity=identity, limit=limit, seconds=seconds
        )
        return self._wait is None

    def wait(self):
        return self._wait

    @staticmethod
    def person_or_address(request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{client_ip(request)}"


class ReadThrottle(PortalThrottle):
    def identify(self, request):
        if request.method not in SAFE_METHODS or is_staff(request):
            return None
        client = api_client(request)
        if client is not None:
            return "read_key", f"key:{client.pk}"
        return "read", self.person_or_address(request)


class WriteThrottle(PortalThrottle):
    def identify(self, request):
        if request.method in SAFE_METHODS or is_staff(request):
            return None
        return "write", self.person_or_address(request)


class StaffThrottle(PortalThrottle):
    def identify(self, request):
        if not is_staff(request):
            return None
        return "staff", f"user:{request.user.pk}"

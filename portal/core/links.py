"""Absolute addresses of the portal, all from the one setting BASE_URL.

Every link that leaves the page it was made on (e-mails, API output, CSV/XLSX exports, feeds,
Open311, payment return addresses) is built here, never from the host a request happened to
arrive on: behind a proxy that is an internal name, in a worker there is no request at all, and
Wagtail's `full_url` takes the host of its Site record ("localhost" unless an editor changed it).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from rest_framework import pagination, routers

ABSOLUTE_PREFIXES = ("http://", "https://")


def absolute_url(path: str = "/") -> str:
    """The portal's address of `path` (as `reverse()` gives it, query string allowed). An address
    that is absolute already (another site's, e.g. an external application portal) stays as
    it is."""
    if path.startswith(ABSOLUTE_PREFIXES):
        return path
    return settings.BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def rebased_url(url: str | None) -> str | None:
    """A URL built from the request's host (as Django REST framework builds its links), moved to
    BASE_URL: path, query and fragment stay."""
    if not url:
        return url
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


def page_absolute_url(page, request=None) -> str | None:
    """A Wagtail page's address under BASE_URL; None when the page cannot be reached."""
    parts = page.get_url_parts(request)
    if parts is None or parts[2] is None:
        return None
    return absolute_url(parts[2])


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """DRF's limit/offset pagination with `next` and `previous` under BASE_URL."""

    def get_next_link(self):
        return rebased_url(super().get_next_link())

    def get_previous_link(self):
        return rebased_url(super().get_previous_link())


class APIRootView(routers.APIRootView):
    """The API's index (DefaultRouter's) with its links under BASE_URL."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data = {name: rebased_url(url) for name, url in response.data.items()}
        return response

"""Cross-origin reading of the open interfaces, and nothing else.

Any web page may read the public APIs, Open311 and the open data (`Access-Control-Allow-Origin:
*` on GET and HEAD of `PORTAL_CORS_PATHS`, never with credentials, so a browser sends no cookie
along). Writing is never shared: a preflight for any other method is refused, and a POST (or
other write) to those paths that a browser sends from a foreign page (its `Origin` is not this
site) is refused with 403 before any view runs: the open APIs take their writes from apps with a
key, which send no `Origin`. Staff endpoints (`PORTAL_CORS_EXCLUDED_PATHS`) get no CORS at all.
"""

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

READ_METHODS = frozenset({"GET", "HEAD"})
# request headers a reading client may send (revalidation, content negotiation)
ALLOWED_HEADERS = frozenset(
    {"accept", "accept-language", "content-language", "if-none-match", "if-modified-since"}
)
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Retry-After, Content-Disposition"
PREFLIGHT_MAX_AGE = "86400"


class OpenDataCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths = re.compile("|".join(f"(?:{p})" for p in settings.PORTAL_CORS_PATHS))
        excluded = settings.PORTAL_CORS_EXCLUDED_PATHS
        self.excluded = re.compile("|".join(f"(?:{p})" for p in excluded)) if excluded else None

    def _is_open(self, path: str) -> bool:
        return bool(self.paths.match(path)) and not (
            self.excluded is not None and self.excluded.match(path)
        )

    def __call__(self, request):
        origin = request.headers.get("Origin")
        if origin is None or not self._is_open(request.path):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return self._preflight(request)
        if request.method in READ_METHODS:
            response = self.get_response(request)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            return response
        if origin != _own_origin(request):
            return JsonResponse(
                {"detail": _("Schreibzugriffe von fremden Webseiten sind nicht erlaubt.")},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        return self.get_response(request)

    def _preflight(self, request):
        method = request.headers["Access-Control-Request-Method"].upper()
        asked = {
            header.strip().lower()
            for header in request.headers.get("Access-Control-Request-Headers", "").split(",")
            if header.strip()
        }
        if method not in READ_METHODS or not asked <= ALLOWED_HEADERS:
            # no CORS headers: the browser does not send the request
            return HttpResponse(status=403)
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD"
        response["Access-Control-Allow-Headers"] = ", ".join(sorted(ALLOWED_HEADERS))
        response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response


def _own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"

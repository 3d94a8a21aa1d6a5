from django.conf import settings
from django.urls import reverse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    """Headers that differ between the public site and the Wagtail admin, and for personal pages.

    Framing: the site may not be framed at all (X-Frame-Options: DENY, CSP frame-ancestors
    'none'); the admin shows its page previews in a same-origin frame, so there both headers say
    "same origin". Django's clickjacking middleware keeps a header that is already set.

    CSP: the admin's policy is the site's with the additions in
    `CONTENT_SECURITY_POLICY_ADMIN_UPDATE` (what Wagtail's own pages need).

    Caching: account and application pages, the admin and every page shown to a logged-in
    person are never stored (a shared computer's back button or disk cache, a proxy).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        is_admin = request.path.startswith(self.admin_prefix)
        if is_admin:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            # A page preview is rendered through the whole middleware stack for the page's own
            # path (Wagtail's make_preview_request) and comes back with the public policy, which
            # refuses the admin's frame. The admin's policy is built for it below instead.
            if "Content-Security-Policy" in response:
                del response["Content-Security-Policy"]
            response._csp_replace = {
                "frame-ancestors": ["'self'"],
                **(getattr(response, "_csp_replace", None) or {}),
            }
            response._csp_update = {
                **settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE,
                **(getattr(response, "_csp_update", None) or {}),
            }
        if (
            is_admin
            or request.path.startswith(tuple(settings.PORTAL_NO_STORE_PATH_PREFIXES))
            or (hasattr(request, "user") and request.user.is_authenticated)
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response

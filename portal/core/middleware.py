from django.urls import reverse


class AdminFrameOptionsMiddleware:
    """The site forbids framing (X-Frame-Options: DENY), but the Wagtail admin shows its page
    previews in a same-origin iframe. Django's clickjacking middleware keeps a header that is
    already set, so the admin gets SAMEORIGIN and everything else stays DENY."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        response = self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if request.path.startswith(self.admin_prefix):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

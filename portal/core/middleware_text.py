"""Every query string and form body reaches the views cleaned by `portal.core.text`: the web
forms (Django's, allauth's, the form builder's, the Wagtail admin's) and Open311's form-encoded and
multipart POSTs alike; of an uploaded file only its name. The REST API's own parsers clean its
bodies (`portal.core.parsers`)."""

from django.core.exceptions import TooManyFieldsSent

from .text import clean_querydict, clean_upload_names


class CleanTextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET = clean_querydict(request.GET)
        except TooManyFieldsSent:
            pass  # the view meets the same error when it reads the query, and answers it
        _clean_body_when_parsed(request)
        return self.get_response(request)


def _clean_body_when_parsed(request) -> None:
    """Django parses a form body on the first read of `request.POST` or `request.FILES`, in
    `_load_post_and_files`. Cleaning after that call, instead of reading POST here, leaves the
    moment to the view: it may still change the upload handlers, and a body that is too big
    fails where the view reads it, so the view answers it in its own way (Open311's error body)."""
    parse = request._load_post_and_files

    def parse_and_clean():
        parse()
        request._post = clean_querydict(request._post)
        clean_upload_names(request._files)

    request._load_post_and_files = parse_and_clean

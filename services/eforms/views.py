"""Views of the online applications."""

from django.http import Http404


def form_start(request, key: str):
    """The first step of a code-defined service form."""
    raise Http404

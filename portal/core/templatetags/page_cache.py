"""`{% csrf_field %}`: the CSRF field of a form on a page that may be stored for visitors without
an account (portal.core.pagecache).

For such a visitor the field stays empty, so the page carries nothing of this visitor and sets no
cookie: static/js/portal.js fetches a token for this browser when the form is sent. Without
JavaScript the form arrives without a token and the CSRF failure page (portal.core.views) asks
once more with everything that was entered. Everybody else gets Django's `{% csrf_token %}`.
"""

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def csrf_field(context):
    request = context.get("request")
    if request is None:
        return ""
    if getattr(request, "page_cache_candidate", False):
        return format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf-fill="{}">',
            reverse("form-token"),
        )
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )

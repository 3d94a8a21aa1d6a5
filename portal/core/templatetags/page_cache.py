"""`{% csrf_field %}` and `{% public_part %}`.

`{% csrf_field %}`: the CSRF field of a form on a page that may be stored for visitors without
an account (portal.core.pagecache).

For such a visitor the field stays empty, so the page carries nothing of this visitor and sets no
cookie: static/js/portal.js fetches a token for this browser when the form is sent. Without
JavaScript the form arrives without a token and the CSRF failure page (portal.core.views) asks
once more with everything that was entered. Everybody else gets Django's `{% csrf_token %}`.
"""

import hashlib
import logging
import re

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal.core.pagecache import public_data

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def csrf_field(context):
    request = context.get("request")
    if request is None:
        return ""
    if _marked(context):  # inside a {% public_part %}: the viewer's own is put in on the way out
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_MARK)
    if getattr(request, "page_cache_candidate", False):
        return _fill_later()
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def _marked(context) -> bool:
    # type(), not ==: the token of a request is a lazy value, made (with a cookie) when compared
    token = context.get("csrf_token")
    return type(token) is str and token == CSRF_MARK


def _fill_later():
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="" data-csrf-fill="{}">',
        reverse("form-token"),
    )


@register.tag("public_part")
def do_public_part(parser, token):
    """`{% public_part "name" [vary …] [only_if=value] %}…{% endpublic_part %}`: a part of the
    page that shows nothing of the person who asks (no name, no CSRF token, no own supports),
    kept rendered for everybody until anything public changes
    (portal.core.pagecache.public_part_key: the version of everything public, the language, the
    address with its query, and the vary values). A form in it keeps a mark where its CSRF token
    goes (`{% csrf_token %}`, `{% csrf_field %}`): each viewer's own token is put in when the
    part is shown. With `only_if`, the part is kept only where
    that value is true (rendered for the viewer otherwise). What the part shows should be
    computed lazily (in the template or by a lazy context value), so a kept part also saves its
    queries."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% public_part %} braucht einen Namen.")
    only_if = None
    if bits[-1].startswith("only_if="):
        only_if = parser.compile_filter(bits.pop()[len("only_if=") :])
    nodelist = parser.parse(("endpublic_part",))
    parser.delete_first_token()
    return PublicPartNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
        only_if,
    )


class PublicPartNode(template.Node):
    def __init__(self, nodelist, name, vary, only_if=None):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.only_if = only_if  # `only_if=<value>`: a part for this viewer only when it is true
        # the {% personal %} holes in it (also in parts inside it), by their place in the template
        self.holes = {hole.key: hole for hole in nodelist.get_nodes_by_type(PersonalNode)}

    def render(self, context):
        keeping = context.get(_KEEPING)  # the holes of an outer part being rendered to be kept
        if self.only_if is not None and not self.only_if.resolve(context):
            return self.nodelist.render(context)
        request = context.get("request")
        token = context.get("csrf_token")
        if request is None or token is None:  # not a request's context: nothing to keep
            return self.nodelist.render(context)
        with context.push({"csrf_token": CSRF_MARK, _KEEPING: keeping or self.holes}):
            html = public_data(
                request,
                self.name.resolve(context),
                lambda: self.nodelist.render(context),
                *(value.resolve(context) for value in self.vary),
                # not with a token not marked, nor with a hole it cannot fill
                keep=lambda html: not _PERSONAL_TOKEN.search(html) and _NOT_KEPT not in html,
            )
        if keeping is not None:  # inside a part being kept: that part fills in what is personal
            return mark_safe(html)
        if CSRF_MARK in html:
            html = _MARKED_TOKEN.sub(_token_for(request, token), html)
            if CSRF_MARK in html:  # {{ csrf_token }} on its own
                html = html.replace(CSRF_MARK, str(token))
        if self.holes:
            html = _HOLE.sub(lambda found: self._fill(found.group(1), context), html)
        return mark_safe(html.replace(_NOT_KEPT, ""))

    def _fill(self, key: str, context) -> str:
        hole = self.holes.get(key)
        return hole.nodelist.render(context) if hole is not None else ""


@register.tag("personal")
def do_personal(parser, token):
    """`{% personal %}…{% endpersonal %}` inside a `{% public_part %}` (in the same template, not
    in a loop or a `with` of the part): what is this viewer's own (a follow button with their
    address), rendered for each request where the kept part has its mark. It sees the context
    of the part, not of tags inside it. One the outermost part being kept cannot reach (in a
    template included into it) is shown in place, and that part is not kept."""
    # its place: the template and the how-many-th {% personal %} in it (the same in every process:
    # a kept part is shared by all of them)
    number = parser.__dict__.setdefault("_personal_holes", 0)
    parser._personal_holes = number + 1
    place = f"{parser.origin.name if parser.origin else ''}:{number}"
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, hashlib.blake2b(place.encode(), digest_size=8).hexdigest())


class PersonalNode(template.Node):
    def __init__(self, nodelist, key: str):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        holes = context.get(_KEEPING)
        if holes is None:
            return self.nodelist.render(context)
        if self.key not in holes:
            # not where the outermost part being kept can find it (in an included template): shown
            # as it is, and the part is not kept
            logger.warning("{%% personal %%} outside its part's template: part not kept")
            return _NOT_KEPT + self.nodelist.render(context)
        return f"<!--personal:{self.key}-->"


_KEEPING = "_public_part_holes"
_NOT_KEPT = "<!--personal:not-kept-->"
_HOLE = re.compile(r"<!--personal:([0-9a-f]{16})-->")


def _token_for(request, token) -> str:
    """The CSRF field of this request, for the marked fields of a public part."""
    if getattr(request, "page_cache_candidate", False):
        return _fill_later()
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(token))


# Where a public part's forms get the viewer's CSRF token: a value no token has (Django's tokens
# are letters and digits only).
CSRF_MARK = "csrf-of-the-viewer"
_MARKED_TOKEN = re.compile(
    r'<input type="hidden" name="csrfmiddlewaretoken" value="' + re.escape(CSRF_MARK) + '">'
)
_PERSONAL_TOKEN = re.compile(
    r'name="csrfmiddlewaretoken" value="(?!' + re.escape(CSRF_MARK) + '")[^"]'
)

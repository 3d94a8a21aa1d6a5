import re
from urllib.parse import urlsplit

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    """The pages of the main navigation: live children of the site root marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    return list(
        Page.objects.child_of(site.root_page)
        .live()
        .in_menu()
        # what `.public()` does for direct children, without a query of its own
        .filter(view_restrictions__isnull=True)
        .only("id", "title", "url_path", "depth", "path")
    )


_FRAME_SOURCE = re.compile(r"""<iframe[^>]*\ssrc=["']([^"']+)["']""", re.IGNORECASE)


@register.simple_tag
def embed_host(embed) -> str:
    """The host an embedded content loads from (its iframe's source), for the consent box of
    templates/wagtailembeds/embed_frontend.html; else the host of the content's address."""
    match = _FRAME_SOURCE.search(embed.html or "")
    return urlsplit(match.group(1) if match else embed.url or "").netloc

import re
from urllib.parse import urlsplit

from django import template
from wagtail.models import Page

from portal.cms.memo import site_for_request
from portal.core.pagecache import remembered
from portal.core.privacy import Erasure, declarations

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    """The pages of the main navigation: live children of the site root marked "show in menus"."""
    request = context.get("request")
    site = site_for_request(request) if request is not None else None
    if site is None:
        return []
    return remembered(
        request,
        ("main_menu", site.pk),
        lambda: list(
            Page.objects.child_of(site.root_page)
            .live()
            .in_menu()
            # what `.public()` does for direct children, without a query of its own
            .filter(view_restrictions__isnull=True)
            .only("id", "title", "url_path", "depth", "path")
        ),
    )


_FRAME_SOURCE = re.compile(r"""<iframe[^>]*\ssrc=["']([^"']+)["']""", re.IGNORECASE)


@register.simple_tag
def embed_host(embed) -> str:
    """The host an embedded content loads from (its iframe's source), for the consent box of
    templates/wagtailembeds/embed_frontend.html; else the host of the content's address."""
    match = _FRAME_SOURCE.search(embed.html or "")
    return urlsplit(match.group(1) if match else embed.url or "").netloc


@register.simple_tag
def processing_overview() -> list[tuple[str, list[dict]]]:
    """The declared processing of personal data by data class, for the privacy page
    (templates/blocks/processing_overview_block.html): for what, on which legal basis, how long,
    and what erasure does. Named by purpose, which the project writes in German, not by model
    (Wagtail's own models have English names); models processed alike are shown once."""
    by_category: dict[str, list[dict]] = {}
    for declaration in declarations():
        entry = {
            "purpose": declaration.purpose,
            "legal_basis": declaration.legal_basis,
            "retention": declaration.retention.rule,
            "erasure": Erasure(declaration.erasure).label,
        }
        entries = by_category.setdefault(declaration.category, [])
        if entry not in entries:
            entries.append(entry)
    return sorted(by_category.items())

"""What Wagtail looks up on every page, from the per-process memo (portal.core.pagecache): the
site of the request's host, the site root paths every page link is built from, and the route of
a CMS address (the page and its arguments). Wagtail keeps them on the request (`_wagtail_site`,
`_wagtail_cached_site_root_paths`, `_wagtail_route_for_request`); they are filled from the memo,
so a page costs neither the site query nor the page queries of the route while nothing public
has changed. Whether the visitor may see the page is checked on every request as before, from
the page's view restrictions (also from the memo)."""

from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from portal.core.pagecache import remembered

from .memo import site_for_request


class WagtailMemoMiddleware:
    """Placed after the locale middleware: a route depends on the language. Only CMS pages are
    touched; other views find the site when they need it (`site_for_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        site = site_for_request(request)
        if site is None:
            return None
        if not hasattr(request, "_wagtail_cached_site_root_paths"):
            request._wagtail_cached_site_root_paths = remembered(
                request, ("site_root_paths",), Site.get_site_root_paths
            )
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        key = ("route", site.pk, get_language(), path)
        route = request._wagtail_route_for_request = remembered(
            request, key, lambda: Page.route_for_request(request, path)
        )
        if route is not None:
            page = route[0]
            restrictions = remembered(
                request, ("view_restrictions", page.pk), lambda: list(page.get_view_restrictions())
            )
            # Wagtail checks them on every request (its on_serve_page hook), from the memo's copy
            page.get_view_restrictions = _Restrictions(restrictions)
        return None


class _Restrictions:
    """The view restrictions of a page and its ancestors, as its `get_view_restrictions()`
    answers them (a list instead of a query)."""

    def __init__(self, restrictions):
        self.restrictions = restrictions

    def __call__(self):
        return self.restrictions

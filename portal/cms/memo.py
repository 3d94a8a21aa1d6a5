"""The site of a request from the per-process memo (portal.core.pagecache), for the CMS
middleware (portal.cms.middleware), the site settings and the main menu."""

from django.http.request import split_domain_port
from wagtail.models import Site

from portal.core.pagecache import remembered


def site_for_request(request):
    """`Site.find_for_request`, from the memo."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = remembered(
            request, ("site", hostname, port), lambda: Site._find_for_request(request)
        )
    return request._wagtail_site

"""The sitemap for search engines: Wagtail's, with every address under BASE_URL rather than
under the hostname a Wagtail `Site` happens to carry ("localhost" in the demo)."""

from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from portal.core.links import absolute_url


class PageSitemap(Sitemap):
    """Wagtail's sitemap: the live pages of the request's site without a view restriction."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            parts = urlsplit(url_info["location"])
            url_info["location"] = absolute_url(
                parts.path + (f"?{parts.query}" if parts.query else "")
            )
        return urls

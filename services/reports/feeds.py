"""Atom feeds of the published reports: all, per district and per category. They show what the
list page shows (category, place, public text, status) and nothing about the reporter. Their
links are absolute under BASE_URL (Django would use the request's host)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal.core.feeds import CleanAtom1Feed
from portal.core.links import absolute_url
from portal.departments.selectors import district_list

from .selectors import report_category_list, report_feed_items


class ReportFeed(Feed):
    feed_type = CleanAtom1Feed

    def title(self, obj=None) -> str:
        return _("Mängelmeldungen – %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}

    def subtitle(self, obj=None) -> str:
        return _("Die neuesten veröffentlichten Mängelmeldungen mit ihrem Bearbeitungsstand.")

    def link(self, obj=None) -> str:
        return absolute_url(reverse("reports:list"))

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("reports:feed"))

    def author_name(self, obj=None) -> str:
        # Atom asks for an author: the city, never the reporter
        return settings.WAGTAIL_SITE_NAME

    def items(self, obj=None):
        return report_feed_items()

    def item_title(self, report) -> str:
        place = report.address or _("ohne Adresse")
        return f"{report.category.name}: {place}"

    def item_description(self, report) -> str:
        # the summary is HTML to feed readers: the citizen's text is escaped here
        status = _("Status: %(status)s") % {"status": report.ticket.public_status_label}
        return format_html(
            "<p>{}</p><p>{}</p>", linebreaksbr(report.public_text, autoescape=True), status
        )

    def item_link(self, report) -> str:
        return absolute_url(reverse("reports:detail", args=[report.ticket.number]))

    def item_pubdate(self, report):
        return report.published_at or report.created_at

    def item_updateddate(self, report):
        return max(report.ticket.updated_at, self.item_pubdate(report))

    def item_categories(self, report):
        return [report.category.name]


class DistrictReportFeed(ReportFeed):
    def get_object(self, request, pk: int):
        return get_object_or_404(district_list(), pk=pk)

    def title(self, obj=None) -> str:
        return _("Mängelmeldungen in %(district)s – %(site)s") % {
            "district": obj.name,
            "site": settings.WAGTAIL_SITE_NAME,
        }

    def link(self, obj=None) -> str:
        return absolute_url(f"{reverse('reports:list')}?stadtteil={obj.pk}")

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("reports:feed-district", args=[obj.pk]))

    def items(self, obj=None):
        return report_feed_items(district=obj)


class CategoryReportFeed(ReportFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(report_category_list(), slug=slug)

    def title(self, obj=None) -> str:
        return _("Mängelmeldungen: %(category)s – %(site)s") % {
            "category": obj.name,
            "site": settings.WAGTAIL_SITE_NAME,
        }

    def link(self, obj=None) -> str:
        return absolute_url(f"{reverse('reports:list')}?kategorie={obj.slug}")

    def feed_url(self, obj=None) -> str:
        return absolute_url(reverse("reports:feed-category", args=[obj.slug]))

    def items(self, obj=None):
        return report_feed_items(category=obj)

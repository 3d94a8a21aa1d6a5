from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.models import Page

from portal.core.links import absolute_url
from portal.core.text import search_words

from .sitemaps import PageSitemap

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    words = search_words(query)
    page_obj = None
    results = []
    total = 0
    if words:
        search_results = Page.objects.live().public().specific().search(words)
        paginator = Paginator(search_results, RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("seite"))
        results = list(page_obj.object_list)
        total = paginator.count
    return render(
        request,
        "cms/search.html",
        {"query": query, "page_obj": page_obj, "results": results, "total": total},
    )


@require_GET
def robots_txt(request):
    """Crawlers may read the public pages; accounts, applications and the admin stay out."""
    return render(
        request,
        "cms/robots.txt",
        {"sitemap_url": absolute_url(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_GET
def sitemap(request):
    return sitemap_views.sitemap(request, {"pages": PageSitemap})

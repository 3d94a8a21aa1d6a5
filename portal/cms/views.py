from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page_obj = None
    results = []
    total = 0
    if query:
        search_results = Page.objects.live().public().specific().search(query)
        paginator = Paginator(search_results, RESULTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("seite"))
        results = list(page_obj.object_list)
        total = paginator.count
    return render(
        request,
        "cms/search.html",
        {"query": query, "page_obj": page_obj, "results": results, "total": total},
    )

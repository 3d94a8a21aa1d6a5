"""The catalogue's public pages are Wagtail pages; this builds the index page's context."""

from django.core.paginator import Paginator

from portal.core.pagecache import lazy_context

from .forms import VIEW_AZ, VIEW_TOPICS, ServiceFilterForm
from .selectors import (
    service_figures,
    service_list_filtered,
    service_list_public,
    topic_groups,
    topic_list_with_counts,
)

PER_PAGE = 20


def service_index_context(request, *, index) -> dict:
    """Computed when first used: the list is a public part of the page (`{% public_part %}`).
    Only the search words are read at once (the header's search field shows them)."""
    form = ServiceFilterForm(request.GET)
    form.is_valid()
    context = lazy_context(
        lambda: _index_context(request, index=index),
        *("filter_form", "figures", "topics", "selected_topic", "is_filtered", "view"),
        *("topic_groups", "services_without_topic", "page_obj", "services", "result_count"),
    )
    context["query"] = form.cleaned_data.get("q", "")
    return context


def _index_context(request, *, index) -> dict:
    everything = service_list_public(index=index)
    topics = list(topic_list_with_counts(everything))
    params = request.GET.copy()
    params.setdefault("ansicht", VIEW_AZ)
    form = ServiceFilterForm(params, topics=topics)
    form.is_valid()  # fields with unknown values are simply left out of cleaned_data
    data = form.cleaned_data
    query = data.get("q", "")
    topic = next((t for t in topics if t.slug == data.get("thema")), None)
    online = True if data.get("online") else None
    epayment = True if data.get("bezahlbar") else None
    view = data.get("ansicht") or VIEW_AZ

    services = service_list_filtered(
        services=everything, query=query, topic=topic, online=online, epayment=epayment
    )
    context = {
        "filter_form": form,
        "figures": service_figures(everything),
        "topics": topics,
        "selected_topic": topic,
        "query": query,
        "is_filtered": bool(query or topic or online or epayment),
        "view": view,
    }
    if view == VIEW_TOPICS:
        groups, without_topic = topic_groups(services)
        context.update(
            topic_groups=groups,
            services_without_topic=without_topic,
            result_count=services.count(),
            page_obj=None,
            services=None,
        )
    else:
        page_obj = Paginator(services, PER_PAGE).get_page(request.GET.get("seite"))
        context.update(
            page_obj=page_obj,
            services=list(page_obj.object_list),
            result_count=page_obj.paginator.count,
            topic_groups=None,
            services_without_topic=None,
        )
    return context

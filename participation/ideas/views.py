"""Public pages of the Ideenpool (placeholder, filled in by the views work)."""

from django.http import HttpResponse


def idea_list_view(request):
    return HttpResponse("")


def idea_detail_view(request, pk):
    return HttpResponse("")

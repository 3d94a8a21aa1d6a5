"""The portal's URLs plus a bare Django view: the floor every page of bench/web.py is set
against (same server, same middleware, no page)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("portal.urls"))]

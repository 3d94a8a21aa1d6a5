from django.conf import settings


def portal(request):
    return {
        "portal_site_name": settings.WAGTAIL_SITE_NAME,
        "portal_city_name": settings.PORTAL_CITY_NAME,
    }

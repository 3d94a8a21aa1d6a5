"""`{% report_map_attrs %}`: the map settings as data- attributes on a map element, for
static/js/reports.js (the CSP allows no inline script to hand them over)."""

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def report_map_attrs():
    latitude, longitude = settings.MAP_CENTER
    # str(), not the template's number formatting: a German decimal comma would break the JS
    return format_html(
        'data-tile-url="{}" data-attribution="{}" data-center="{},{}" data-zoom="{}"',
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
        str(float(latitude)),
        str(float(longitude)),
        str(int(settings.MAP_ZOOM)),
    )

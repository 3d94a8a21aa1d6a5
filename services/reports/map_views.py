"""`/maengel/karte.json`: the markers of the public map, loaded by static/js/reports.js."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from portal.core.pagecache import public_data

from .map import MapQueryError, map_query_parse, report_map_features


@require_GET
def report_map_data(request):
    try:
        query = map_query_parse(request.GET)
    except MapQueryError as error:
        return JsonResponse({"error": str(error)}, status=400)
    # the same for everybody: kept until anything public changes (portal.core.pagecache)
    response = JsonResponse(
        public_data(request, "reports:map-data", lambda: report_map_features(query))
    )
    # markers change when staff publish or close a report; a short shared cache is enough
    response["Cache-Control"] = "public, max-age=60"
    return response

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health


@never_cache
@require_GET
def healthz(request):
    checks = health()
    ok = all(checks.values())
    body = {
        "status": "ok" if ok else "fail",
        **{k: "ok" if v else "down" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)

"""The demo provider's hosted pay page. It stands in for an external provider's site, so it reads
only the demo's own records: amount and description come from the transaction, and a changed
form field cannot change what is paid."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ...constants import format_euro
from . import psp
from .models import DemoTransaction


def _back_to_portal(request, return_url: str) -> str:
    """The return URL, as a path when it points at this very site: the pay page lives on the
    portal, and a relative redirect keeps the browser on the host it came with."""
    parts = urlsplit(return_url)
    base = urlsplit(settings.BASE_URL)
    if parts.netloc in (request.get_host(), base.netloc):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return return_url


@never_cache
@require_http_methods(["GET", "POST"])
def demo_pay_page(request, provider_ref: str):
    tx = get_object_or_404(DemoTransaction, provider_ref=provider_ref)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in psp.PAYER_ACTIONS:
            return HttpResponseBadRequest()
        tx = psp.payer_acted(tx, action)
        return redirect(_back_to_portal(request, tx.return_url))
    tx = psp.payer_opened(tx)
    context = {
        "tx": tx,
        "amount": format_euro(tx.amount),
        "ttl_minutes": max(settings.PAYMENTS_DEMO_TTL_SECONDS // 60, 1),
        "return_url": _back_to_portal(request, tx.return_url),
    }
    return render(request, "payments/demo_transaction_pay.html", context)

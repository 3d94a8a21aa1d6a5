"""Public edges of payments: the browser's return from the provider and the provider's webhooks.
Neither carries an outcome we believe; both make us ask the provider."""

import logging

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .constants import EventSource
from .models import Payment
from .providers import get_provider, provider_classes
from .providers.base import InvalidWebhook
from .services import is_local_path, payment_refresh, webhook_receive

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def payment_return(request, token: str):
    """The provider sends the browser here. We ask the provider, then continue where the
    caller wanted; a payment still in progress can be resumed from there."""
    payment = get_object_or_404(Payment.objects.only("pk"), return_token=token)
    payment = payment_refresh(payment_id=payment.pk, source=EventSource.RETURN)
    return redirect(payment.continue_url if is_local_path(payment.continue_url) else "/")


@csrf_exempt
@require_POST
def payment_webhook(request, provider: str):
    """Verify, keep once, answer at once; the status check runs later in a Celery task."""
    if provider not in provider_classes():
        raise Http404
    try:
        events = get_provider(provider).parse_webhook(headers=request.headers, body=request.body)
    except InvalidWebhook:
        logger.warning("Webhook for %s refused: bad signature or body", provider)
        return HttpResponseBadRequest("invalid signature")
    webhook_receive(provider_key=provider, events=events)
    return HttpResponse(status=200)

"""Writes of the payments app (see core.py for how a payment's state changes).

The public services, for other apps and for the edges of this one:

- `payment_start` – start paying for an order; the browser goes to `payment.redirect_url`
- `payment_refresh` – ask the provider and move the payment (return, webhooks, beat job)
- `payment_cancel` – cancel an unfinished payment (by the city)
- `refund_create` – refund all or part of a succeeded payment
- `webhook_receive` – keep verified notifications once and ring for a status check
- `payments_reconcile` – the beat job
"""

from .core import is_local_path
from .lifecycle import payment_cancel, payment_refresh, payments_reconcile
from .refunds import refund_create
from .start import payment_start
from .webhooks import webhook_receive

__all__ = [
    "is_local_path",
    "payment_cancel",
    "payment_refresh",
    "payment_start",
    "payments_reconcile",
    "refund_create",
    "webhook_receive",
]

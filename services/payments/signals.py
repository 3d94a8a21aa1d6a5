"""What other apps hear from payments. Both signals are sent inside the transaction that moves the
payment, under its row lock, so a receiver's writes (e.g. releasing an application to the
department) commit together with the transition or not at all. The transition happens once per
payment, so `payment_succeeded` is sent at most once per payment.

Receivers get `sender=Payment` and `payment=<Payment>`. A receiver that raises rolls the
transition back; the reconciliation job tries again later.
"""

from django.dispatch import Signal

payment_succeeded = Signal()
payment_finished = Signal()

"""Who may see and refund payments in the admin: superusers, and staff whose group holds the
model permission "payments.add_refund" (refund; implies seeing) or "payments.view_payment"
(seeing only)."""

import rules


def _has_model_perm(user, codename: str) -> bool:
    return user.is_active and codename in user.get_all_permissions()


@rules.predicate
def may_view_payments(user) -> bool:
    return _has_model_perm(user, "payments.view_payment") or _has_model_perm(
        user, "payments.add_refund"
    )


@rules.predicate
def may_refund_payments(user) -> bool:
    return _has_model_perm(user, "payments.add_refund")


rules.add_perm("payments.access_payments", rules.is_superuser | may_view_payments)
rules.add_perm("payments.refund_payment", rules.is_superuser | may_refund_payments)
# asking the provider again or cancelling an unfinished payment: the same people as refunds
rules.add_perm("payments.manage_payment", rules.is_superuser | may_refund_payments)

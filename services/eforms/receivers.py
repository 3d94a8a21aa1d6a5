"""The payment tells the application when it is paid: in the payment's own transaction, so that
the payment's success and the hand-over to the department commit together, once."""

from django.contrib.contenttypes.models import ContentType

from .models import Submission
from .services import submission_release


def on_payment_succeeded(sender, payment, **kwargs):
    submission_type = ContentType.objects.get_for_model(Submission)
    if payment.order_content_type_id == submission_type.pk:
        submission_release(submission_id=int(payment.order_object_id))


def connect() -> None:
    from services.payments.signals import payment_succeeded

    payment_succeeded.connect(on_payment_succeeded, dispatch_uid="eforms.release_on_payment")

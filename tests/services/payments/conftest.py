"""Fixtures of the payments tests. The order being paid is a Department: any model does, and
eforms.Submission does not exist yet."""

import pytest

from services.payments.models import Payment
from services.payments.signals import payment_finished, payment_succeeded
from tests.factories import DepartmentFactory


@pytest.fixture
def order(db):
    return DepartmentFactory()


class Counter:
    """Receives a signal and remembers which payments it was sent for."""

    def __init__(self):
        self.payment_ids: list = []

    def __call__(self, sender, payment, **kwargs):
        assert sender is Payment
        self.payment_ids.append(payment.pk)

    def __len__(self):
        return len(self.payment_ids)


@pytest.fixture
def released():
    """Counts `payment_succeeded`: what eforms does to release an application."""
    counter = Counter()
    payment_succeeded.connect(counter, weak=False)
    yield counter
    payment_succeeded.disconnect(counter)


@pytest.fixture
def finished():
    counter = Counter()
    payment_finished.connect(counter, weak=False)
    yield counter
    payment_finished.disconnect(counter)


@pytest.fixture
def rung(monkeypatch):
    """The doorbell's rings as (task name, id), instead of messages to a broker."""
    from portal.core import doorbell

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(
        doorbell, "ring", lambda task, object_id: calls.append((task.name, object_id))
    )
    return calls

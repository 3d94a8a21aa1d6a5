"""The provider interface (reference/payments.md §4.6).

A provider translates one payment service provider's API into our canonical states. It does not
write our records: services.py does, under a row lock, and only after asking `get_status`. What a
browser brings back from the pay page and what a webhook says are hints that make us ask.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..constants import PaymentState, RefundState


@dataclass(frozen=True)
class Capabilities:
    webhooks: bool = False
    refunds: bool = False
    partial_refunds: bool = False
    delayed_capture: bool = False
    cancel: bool = False
    methods: tuple[str, ...] = ()
    currencies: tuple[str, ...] = ("EUR",)
    min_amount_minor: int = 1
    max_amount_minor: int = 10_000_000
    # seconds after which the provider itself ends an unfinished payment (None: never)
    expiry_seconds: int | None = None


@dataclass(frozen=True)
class CreateRequest:
    idempotency_key: str
    amount_minor: int
    currency: str
    purpose: str
    description: str
    return_url: str
    line_items: list[dict] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    scenario: str = ""


@dataclass(frozen=True)
class ProviderStatus:
    state: PaymentState
    raw_status: str
    amount_minor: int
    failure_reason: str = ""
    refund_available_minor: int | None = None


@dataclass(frozen=True)
class CreateResult:
    provider_ref: str
    redirect_url: str
    status: ProviderStatus
    expires_at: datetime.datetime | None = None


@dataclass(frozen=True)
class RefundResult:
    provider_refund_ref: str
    state: RefundState
    raw_status: str


@dataclass(frozen=True)
class WebhookEvent:
    message_id: str
    event_type: str
    provider_ref: str
    raw_status: str = ""
    # our payment id, when the provider echoes metadata: finds a payment whose create
    # response was lost (we do not know its provider_ref yet)
    payment_hint: str = ""


# --- errors -------------------------------------------------------------------------------------
class ProviderError(Exception):
    """The provider answered with an error: the request had no effect."""

    def __init__(self, message: str = "", *, code: str = "", status: int | None = None):
        super().__init__(message or code)
        self.code = code
        self.status = status


class ProviderConflict(ProviderError):
    """Same idempotency key, different request (HTTP 409)."""


class ProviderBusy(ProviderError):
    """Rate limited (HTTP 429) or briefly unavailable: try again later, with back-off."""


class RefundRefused(ProviderError):
    """The refund does not fit what the provider knows (HTTP 412 / over-refund)."""


class ProviderTimeout(Exception):
    """No answer: the request may or may not have taken effect."""


class InvalidWebhook(Exception):
    """Bad signature or malformed body: answered with 400."""


class PaymentProvider(ABC):
    key: str = ""
    label: str = ""
    capabilities: Capabilities = Capabilities()

    @abstractmethod
    def create(self, request: CreateRequest) -> CreateResult:
        """Create the payment at the provider. Same idempotency key and same request: the
        original transaction comes back; a different request: ProviderConflict."""

    @abstractmethod
    def get_status(self, provider_ref: str) -> ProviderStatus:
        """The current state, strongly consistent: the only source of state changes."""

    @abstractmethod
    def cancel(self, provider_ref: str) -> None:
        """Cancel an unfinished payment (ProviderError when it is already finished)."""

    @abstractmethod
    def refund(
        self,
        provider_ref: str,
        *,
        amount_minor: int,
        expected_available_minor: int,
        idempotency_key: str,
    ) -> RefundResult:
        """Refund part or all of a succeeded payment. `expected_available_minor` is what we
        believe is still refundable; the provider refuses (RefundRefused) when it disagrees."""

    @abstractmethod
    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[WebhookEvent]:
        """Verify and parse a notification; InvalidWebhook when the signature does not match."""

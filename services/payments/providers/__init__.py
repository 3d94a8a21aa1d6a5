"""The provider registry. `PAYMENTS_PROVIDER` names the provider for new payments; a payment
keeps the key it was made with, so switching providers leaves earlier payments answerable.

More providers are added by `PAYMENTS_PROVIDER_CLASSES = {"key": "dotted.path.Class"}`.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentProvider

BUILT_IN = {
    "demo": "services.payments.providers.demo.provider.DemoProvider",
}


def provider_classes() -> dict[str, str]:
    return {**BUILT_IN, **getattr(settings, "PAYMENTS_PROVIDER_CLASSES", {})}


def default_provider_key() -> str:
    return settings.PAYMENTS_PROVIDER


def get_provider(key: str | None = None) -> PaymentProvider:
    """The provider for `key` (default: the configured one); LookupError if there is none."""
    key = key or default_provider_key()
    path = provider_classes().get(key)
    if path is None:
        raise LookupError(f"Unknown payment provider {key!r}")
    return _load(path)()


@cache
def _load(path: str) -> type[PaymentProvider]:
    return import_string(path)

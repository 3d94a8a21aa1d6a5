"""The online forms a page of the catalogue may offer, without the catalogue importing the app
that defines them.

The forms app registers one provider in its `AppConfig.ready()`; the catalogue asks here for
the choice of forms (the editor's select) and for a form's fee schedule (the page publishes the
fees the form charges by). A fee is anything with `amount_minor` (cents) and a `str()` that reads
"12,00 € für die erste Urkunde".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


class Fee(Protocol):
    amount_minor: int


@dataclass(frozen=True)
class OnlineFormProvider:
    choices: Callable[[], Sequence[tuple[str, str]]]  # (key, title) of every form it offers
    fee_schedule: Callable[[str], Sequence[Fee] | None]  # None: unknown key or no schedule


_PROVIDERS: list[OnlineFormProvider] = []


def register_online_forms(provider: OnlineFormProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def online_form_choices() -> list[tuple[str, str]]:
    """(key, title) of every registered form, asked for when a form is built."""
    return [choice for provider in _PROVIDERS for choice in provider.choices()]


def online_form_fees(key: str) -> list[Fee] | None:
    """The fee schedule the form `key` charges by; None when no provider declares one."""
    for provider in _PROVIDERS:
        fees = provider.fee_schedule(key)
        if fees is not None:
            return list(fees)
    return None

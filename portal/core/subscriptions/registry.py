"""What an app declares about the things that can be followed: one `SubscriptionKind` per kind,
registered in the app's `AppConfig.ready()`. The kernel never imports an app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SubscriptionKind:
    name: str  # "<app>.<what>", stored on every subscription of the kind
    # what every e-mail of the kind says about its target; None: nothing to say any more (the
    # target is gone or no longer public), the e-mail is not sent
    context: Callable[[Any], dict | None]
    # the context of one notice from the ids it was owed with (`notice_owe(context=...)`);
    # None: nothing to say any more
    notice_context: Callable[[Any, dict], dict | None] | None = None
    # the page behind the unsubscribe link: a URL name taking the signed code (the kernel's
    # own page, or the app's)
    unsubscribe_url_name: str = "subscriptions:unsubscribe"
    # kinds that ask for an address: the confirmation page (a URL name taking the signed code)
    # and the outbox template of the confirmation e-mail (`_subject.txt`, `.txt`, `.html`)
    confirm_url_name: str = ""
    confirm_template: str = ""
    # the kernel's pages (confirm, unsubscribe): what the subscription is about ("Mängelmeldung
    # 2026-000123", "zur Idee „…“"), and where to go from there ("Zur Meldung")
    describe: Callable[[Any], str] | None = None
    back_url: Callable[[Any], str | None] | None = None
    back_label: str = ""
    # the kernel's confirmation page: its heading ("Meldung folgen"), the question above the
    # button, the button, and the message once confirmed (shown on the page `back_url` leads to)
    confirm_heading: str = ""
    confirm_question: Callable[[Any], str] | None = None
    confirm_button: str = ""
    confirmed_message: str = ""


_kinds: dict[str, SubscriptionKind] = {}


def register(kind: SubscriptionKind) -> SubscriptionKind:
    _kinds[kind.name] = kind
    return kind


def kind_for(name: str) -> SubscriptionKind:
    return _kinds[name]

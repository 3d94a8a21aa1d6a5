"""Context builders, one per kind of message. Apps register theirs in their `emails.py` with
`@outbox.context_builder("<app>.<what>")`; the kernel imports those modules by name when it first
sends (Django's autodiscovery), so it never imports an app itself."""

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import autodiscover_modules

Builder = Callable[[Any], dict | None]

_builders: dict[str, Builder] = {}
_forgotten: set[str] = set()
_discovered = False


def context_builder(kind: str, *, forget_after_send: bool = False) -> Callable[[Builder], Builder]:
    """Register `build(message) -> dict | None` for `kind`. It turns the ids of
    `message.context` into the template's context; None means there is nothing to say any more
    (the message is marked sent, no e-mail goes out). A dict may carry "attachments": a list of
    (filename, content, mimetype), and "headers": extra mail headers (List-Unsubscribe).
    `forget_after_send`: the row's context is emptied once the e-mail is out (for messages whose
    context holds a one-time secret, e.g. a password-reset link)."""

    def register(build: Builder) -> Builder:
        _builders[kind] = build
        if forget_after_send:
            _forgotten.add(kind)
        return build

    return register


def _discover(kind: str) -> None:
    global _discovered
    if kind not in _builders and not _discovered:
        autodiscover_modules("emails")
        _discovered = True


def builder_for(kind: str) -> Builder | None:
    _discover(kind)
    return _builders.get(kind)


def forgets_after_send(kind: str) -> bool:
    _discover(kind)
    return kind in _forgotten

"""What the participation apps add to a project page, registered by them: `projects` imports
none of its modules (contributions, polls, …); each module registers its context provider in
its `AppConfig.ready()`.

    register_page_context(project_context)  # project_context(*, project, request) -> dict

A provider's dict may hold PUBLIC_KEY: what of the viewer its section shows (viewers with the same
key see the same), or None where the section is this viewer's own (their contributions). The page
is then kept as one public part for everybody with the same keys (`page_key`).
"""

from __future__ import annotations

from collections.abc import Callable

PageContext = Callable[..., dict]

_PROVIDERS: list[PageContext] = []


def register_page_context(provider: PageContext) -> PageContext:
    """Adds a provider of template context for the project page (once, in app order)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


PUBLIC_KEY = "public_key"


def page_context(*, project, request) -> dict:
    """The context every registered module adds to a saved project's page, and `page_key`: the
    modules' public keys together (None if any section is the viewer's own)."""
    context: dict = {}
    keys = []
    for provider in _PROVIDERS:
        part = dict(provider(project=project, request=request))
        keys.append(part.pop(PUBLIC_KEY, ""))
        context.update(part)
    context["page_key"] = None if None in keys else "|".join(str(key) for key in keys)
    return context

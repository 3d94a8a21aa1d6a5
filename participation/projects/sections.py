"""What the participation apps add to a project page, registered by them: `projects` imports
none of its modules (contributions, polls, …); each module registers its context provider in
its `AppConfig.ready()`.

    register_page_context(project_context)  # project_context(*, project, request) -> dict
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


def page_context(*, project, request) -> dict:
    """The context every registered module adds to a saved project's page."""
    context: dict = {}
    for provider in _PROVIDERS:
        context.update(provider(project=project, request=request))
    return context

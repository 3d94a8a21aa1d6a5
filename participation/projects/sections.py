"""What the participation apps add to a project page, registered by them: `projects` imports
none of its modules (contributions, polls, …); each module registers its context provider in
its `AppConfig.ready()`.

    register_page_context(project_context)  # project_context(*, project, request, answers)
    register_page_questions(project_questions)  # project_questions(*, project, request)

A module's questions about the viewer (name -> (SQL expression, params), portal.core.sql) are
asked together with the other modules' and the page's own in one query; each provider gets all
the `answers` by name.

A provider's dict may hold PUBLIC_KEY: what of the viewer its section shows (viewers with the
same key see the same), or None where the section is this viewer's own (their contributions).
The page is then kept as one public part for everybody with the same keys (`page_key`).
"""

from __future__ import annotations

from collections.abc import Callable

PageContext = Callable[..., dict]

_PROVIDERS: list[PageContext] = []
_QUESTIONS: list[Callable[..., dict]] = []


def register_page_context(provider: PageContext) -> PageContext:
    """Adds a provider of template context for the project page (once, in app order)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def register_page_questions(questions: Callable[..., dict]) -> Callable[..., dict]:
    """Adds a module's questions about the viewer of a project page (once)."""
    if questions not in _QUESTIONS:
        _QUESTIONS.append(questions)
    return questions


PUBLIC_KEY = "public_key"


def page_context(*, project, request) -> dict:
    """The context every registered module adds to a saved project's page, and `page_key`: the
    modules' public keys together (None if any section is the viewer's own). The viewer's
    standing (rules.remember_standing) and the modules' questions are asked in one query."""
    from portal.core.sql import ask

    from .rules import remember_standing, standing_questions

    questions = standing_questions(request.user, project)
    for module_questions in _QUESTIONS:
        questions.update(module_questions(project=project, request=request))
    answers = ask(questions)
    remember_standing(request.user, project, answers)
    # the answers for the page's templates too (the follow panel's)
    context: dict = {"viewer_answers": answers}
    keys = []
    for provider in _PROVIDERS:
        part = dict(provider(project=project, request=request, answers=answers))
        keys.append(part.pop(PUBLIC_KEY, ""))
        context.update(part)
    context["page_key"] = None if None in keys else "|".join(str(key) for key in keys)
    return context

"""Reads of the Ideenpool's public side. Every list is a fixed number of queries however many
ideas and supports there are: support counts come from the input's `support_count` (kept by
the services), never from counting supports per row; the input, Handlungsfeld and district come
with the list (one join each)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from participation.contributions.constants import ModerationState
from participation.contributions.models import Support
from participation.projects.models import ProjectPage
from participation.projects.selectors import project_list_public
from portal.core.sql import ask, column, exists, table
from portal.tickets.models import TicketEvent
from portal.tickets.selectors import ticket_public_timeline, ticket_timeline

from .constants import ANSWER_LABEL, CLOSED_FOR_SUPPORT, Sort
from .models import PoolIdea

STAGE_QUORUM = "quorum"  # the list's extra stage filter: ideas that reached the quorum
FEED_SIZE = 50
SIMILAR_LIMIT = 5
SIMILAR_MIN_LETTERS = 4
SIMILAR_MAX_WORDS = 6
# frequent German words of four letters or more that say nothing about an idea's subject
SIMILAR_STOP_WORDS = frozenset(
    """aber alle allen auch bitte dass damit dann denn diese diesem diesen dieser dieses durch eine
    einem einen einer eines etwas fuer für gibt hier idee ideen ihre immer jetzt kann keine mehr
    mehrere nach neue neuen neuer nicht noch oder ohne schon sehr sein seine sich sind soll sollte
    sowie über ueber unser unsere unter viel viele wenn werden wieder wird wäre zwischen
    """.split()
)


def _with_related(ideas: QuerySet[PoolIdea]) -> QuerySet[PoolIdea]:
    # the district's area is a large polygon nobody here needs
    return ideas.select_related("input", "field_of_action", "input__district").defer(
        "input__district__area"
    )


def idea_list_public() -> QuerySet[PoolIdea]:
    """Ideas anyone may see (moderation state "sichtbar"), newest first, with Handlungsfeld and
    district. Inadmissible and rejected ideas stay listed: they show their reason."""
    return _with_related(PoolIdea.objects.filter(input__state=ModerationState.VISIBLE)).order_by(
        "-submitted_at", "-pk"
    )


def idea_list_filtered(
    *,
    ideas: QuerySet[PoolIdea] | None = None,
    stage: str = "",
    field_of_action_id: int | None = None,
    district_id: int | None = None,
    quorum_reached: bool | None = None,
    sort: str = Sort.NEWEST,
    moment: datetime | None = None,
) -> QuerySet[PoolIdea]:
    """The public list (or the given part of it) filtered and sorted as the list page and the
    API offer it. Empty values and None mean "any". `stage="quorum"` is the same as
    `quorum_reached=True`. Sorting by "endet bald" keeps only ideas that can still be supported."""
    if ideas is None:
        ideas = idea_list_public()
    if stage == STAGE_QUORUM:
        quorum_reached = True
    elif stage:
        ideas = ideas.filter(stage=stage)
    if quorum_reached is not None:
        ideas = ideas.filter(quorum_reached_at__isnull=not quorum_reached)
    if field_of_action_id is not None:
        ideas = ideas.filter(field_of_action_id=field_of_action_id)
    if district_id is not None:
        ideas = ideas.filter(input__district_id=district_id)
    return idea_sorted(ideas, sort=sort, moment=moment)


def idea_sorted(
    ideas: QuerySet[PoolIdea], *, sort: str, moment: datetime | None = None
) -> QuerySet[PoolIdea]:
    if sort == Sort.SUPPORTED:
        return ideas.order_by("-input__support_count", "-submitted_at", "-pk")
    if sort == Sort.ENDING:
        moment = moment or timezone.now()
        return (
            ideas.filter(support_ends_at__gt=moment)
            .exclude(stage__in=CLOSED_FOR_SUPPORT)
            .order_by("support_ends_at", "pk")
        )
    return ideas.order_by("-submitted_at", "-pk")


def supported_idea_ids(*, user, idea_ids: Iterable[int]) -> set[int]:
    """Which of these ideas `user` supports: one query for a whole page of ideas."""
    idea_ids = list(idea_ids)
    if not (user and user.is_authenticated) or not idea_ids:
        return set()
    return set(
        Support.objects.filter(user=user, idea__pool_idea__in=idea_ids).values_list(
            "idea__pool_idea", flat=True
        )
    )


def viewer_answers(*, user, idea: PoolIdea) -> dict:
    """What an idea's page asks about a signed-in viewer, in one query (portal.core.sql.ask):
    their standing for the permission checks (kept for this request), whether they wrote in
    the idea's discussion ("contributions:comments") and support it ("ideas:supported")."""
    if not (user and user.is_authenticated):
        return {}
    from participation.contributions.selectors import discussion_questions
    from participation.projects.rules import remember_standing, standing_questions

    questions = standing_questions(user)
    questions.update(discussion_questions(target=idea, user=user))
    questions["ideas:supported"] = (
        exists(
            f"SELECT 1 FROM {table(Support)} WHERE {column(Support, 'idea')} = %s"
            f" AND {column(Support, 'user')} = %s"
        ),
        [idea.input_id, user.pk],
    )
    answers = ask(questions)
    remember_standing(user, None, answers)
    return answers


def supports_any_pool_idea(user) -> bool:
    """Whether `user` supports any idea of the pool (one bounded query; False without an
    account)."""
    if not (user and user.is_authenticated):
        return False
    return Support.objects.filter(user=user, idea__pool_idea__isnull=False).exists()


def idea_get_public(*, pk: int) -> PoolIdea | None:
    """An idea for what is done with it (support, comment), in any moderation state, with what
    its page shows."""
    return (
        _with_related(PoolIdea.objects.all())
        .select_related("input__author", "input__ticket")
        .filter(pk=pk)
        .first()
    )


def idea_get_for_page(*, pk: int) -> PoolIdea | None:
    """An idea for its public page, in any moderation state (a hidden or deleted one shows a
    placeholder there), with its contribution. What only the page's public part shows (field of
    action, district, author, Anliegen) is read when that part is rendered: a join of six tables
    took PostgreSQL longer to plan than to run, on every signed-in view."""
    return PoolIdea.objects.select_related("input").filter(pk=pk).first()


def idea_timeline(*, idea: PoolIdea, for_staff: bool = False) -> list[TicketEvent]:
    """The idea's public timeline, oldest first: the public lines of its ticket, the very rows its
    ticket's status page shows (there is no second timeline). Each gets `label`: the Ideenpool's
    word for a line it wrote (its stage, "Quorum erreicht" …), else "Antwort der Verwaltung".
    `for_staff` loads who wrote each line too."""
    if idea.ticket_id is None:
        return []
    if for_staff:
        events = [event for event in ticket_timeline(ticket=idea.ticket) if event.is_public]
    else:
        events = ticket_public_timeline(ticket=idea.ticket)
    for event in events:
        event.label = event.public_status_label or str(ANSWER_LABEL)
    return events


def public_project_ids(project_ids: Iterable[int | None]) -> set[int]:
    """Which of these Vorhaben the public may see (published, below a published Vorhabenliste,
    without view restriction): one query, however many ids."""
    wanted = {pk for pk in project_ids if pk is not None}
    if not wanted:
        return set()
    return set(project_list_public().filter(pk__in=wanted).values_list("pk", flat=True))


def project_choices() -> QuerySet[ProjectPage]:
    """The Vorhaben an idea can say it improves: the public Vorhabenliste, A–Z."""
    return project_list_public().select_related(None).prefetch_related(None).only("id", "title")


def idea_similar(*, title: str, limit: int = SIMILAR_LIMIT) -> list[PoolIdea]:
    """Visible ideas whose title shares a significant word (four letters or more) with `title`,
    those sharing most words first.

    A plain case-insensitive substring match, the same on SQLite and PostgreSQL (SQLite's LIKE
    folds only ASCII letters, so each word is also tried lower-case and capitalised)."""
    words = similar_words(title)
    if not words:
        return []
    matches = []
    for word in words:
        condition = Q()
        for variant in {word, word.lower(), word.capitalize()}:
            condition |= Q(input__title__icontains=variant)
        matches.append(condition)
    any_word = Q()
    for condition in matches:
        any_word |= condition
    score = sum(
        (Case(When(condition, then=Value(1)), default=Value(0)) for condition in matches),
        start=Value(0),
    )
    return list(
        PoolIdea.objects.filter(input__state=ModerationState.VISIBLE)
        .filter(any_word)
        .annotate(shared_words=score)
        .only("id", "input__title", "input__support_count", "input__state", "stage")
        .order_by("-shared_words", "-input__support_count", "-submitted_at", "-pk")[:limit]
    )


def similar_words(title: str) -> list[str]:
    """The significant words of a title, longest first (at most SIMILAR_MAX_WORDS)."""
    words = []
    for word in re.findall(r"\w+", title or ""):
        if len(word) < SIMILAR_MIN_LETTERS or word.isdigit():
            continue
        if word.lower() in SIMILAR_STOP_WORDS or word.lower() in (w.lower() for w in words):
            continue
        words.append(word)
    words.sort(key=len, reverse=True)
    return words[:SIMILAR_MAX_WORDS]


def idea_list_authored(*, user) -> QuerySet[PoolIdea]:
    """The ideas `user` submitted (any stage, not deleted ones), newest first."""
    return _with_related(
        PoolIdea.objects.filter(input__author=user).exclude(input__state=ModerationState.DELETED)
    ).order_by("-submitted_at", "-pk")


def idea_list_supported(*, user) -> QuerySet[PoolIdea]:
    """The visible ideas `user` supports, newest support first."""
    return _with_related(
        PoolIdea.objects.filter(input__state=ModerationState.VISIBLE, input__supports__user=user)
    ).order_by("-input__supports__created_at", "-pk")


def idea_feed_items(*, limit: int = FEED_SIZE) -> QuerySet[PoolIdea]:
    """The newest visible ideas, for the Atom feed."""
    return idea_list_public()[:limit]

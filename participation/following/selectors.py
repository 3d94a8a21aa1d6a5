"""Reads of the following app: the visitor's follow, and who gets which notice."""

from __future__ import annotations

import functools

from django.db.models import QuerySet

from portal.core.sql import column, table
from portal.core.subscriptions.models import State, Subscription

from .constants import POOL, PROJECT

FOLLOW_QUESTION = "following:follow"


def follow_for_user(*, project, user, answers: dict | None = None) -> Subscription | None:
    """The signed-in person's follow of the project (by account or by its address; the newest).
    `answers`: those of the project page's questions (`project_questions`), where it was asked
    with them; a viewer who follows nothing then costs no query. Plain SQL: asked on every
    signed-in view of a project page, where the ORM took longer to build the query than the
    database to answer it."""
    if user is None or not user.is_authenticated:
        return None
    if answers is not None and FOLLOW_QUESTION in answers:
        found = answers[FOLLOW_QUESTION]
        return Subscription.objects.filter(pk=found).first() if found is not None else None
    sql, params = _follow_sql(project, user)
    newest = f"SELECT * FROM {table(Subscription)} WHERE {column(Subscription, 'id')} = {sql}"
    found = Subscription.objects.raw(newest, params)
    return next(iter(found), None)


def project_questions(*, project, request) -> dict:
    """What the project page asks about the viewer for this app (projects.sections): the id of
    their follow of the project, if any."""
    user = request.user
    if project.pk is None or not (user and user.is_authenticated):
        return {}
    return {FOLLOW_QUESTION: _follow_sql(project, user)}


def _follow_sql(project, user) -> tuple[str, list]:
    """A scalar subquery: the id of the newest follow of `project` by `user`'s account or
    address."""
    sql = _follow_sql_text(bool(user.email))
    return sql, [PROJECT, project.pk, user.pk] + ([user.email] if user.email else [])


@functools.cache
def _follow_sql_text(by_address: bool) -> str:
    def name(field: str) -> str:
        return column(Subscription, field)

    match = f"{name('user')} = %s"
    if by_address:
        match += f" OR UPPER({name('email')}) = UPPER(%s)"
    return (
        f"(SELECT {name('id')} FROM {table(Subscription)} WHERE {name('kind')} = %s"
        f" AND {name('target_id')} = %s AND ({match}) ORDER BY {name('id')} DESC LIMIT 1)"
    )


def follower_subscriptions(*, project_id: int) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        kind=PROJECT, target_id=project_id, state=State.CONFIRMED
    ).order_by("pk")


def pool_subscriptions() -> QuerySet[Subscription]:
    return Subscription.objects.filter(kind=POOL, state=State.CONFIRMED).order_by("pk")


def pool_matches(subscriptions, *, project) -> list[Subscription]:
    """The Mitmachpool subscriptions the project matches: its Handlungsfeld among the chosen ones
    (or none chosen), and one of its Stadtteile among the chosen ones (or none chosen; a project
    without Stadtteile concerns the whole city and matches every choice)."""
    field = project.field_of_action_id
    districts = set(project.districts.values_list("pk", flat=True))
    matching = []
    for subscription in subscriptions:
        scope = subscription.scope or {}
        chosen_fields = scope.get("fields_of_action") or []
        chosen_districts = set(scope.get("districts") or [])
        if chosen_fields and field not in chosen_fields:
            continue
        if districts and chosen_districts and not districts & chosen_districts:
            continue
        matching.append(subscription)
    return matching

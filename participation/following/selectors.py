"""Reads of the following app: the visitor's follow, and who gets which notice."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.core.subscriptions.models import State, Subscription

from .constants import POOL, PROJECT


def follow_for_user(*, project, user) -> Subscription | None:
    """The signed-in person's follow of the project (by account or by its address)."""
    if user is None or not user.is_authenticated:
        return None
    match = Q(user=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return (
        Subscription.objects.filter(match, kind=PROJECT, target_id=project.pk)
        .order_by("-pk")
        .first()
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

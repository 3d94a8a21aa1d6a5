"""Reads of the following app: who gets which notice, and what waits for the relay."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from .models import NoticeKind, PoolSubscription, ProjectFollow, ProjectNotice


def _active(queryset):
    return queryset.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def follow_get(*, token: str) -> ProjectFollow | None:
    if not token:
        return None
    return ProjectFollow.objects.select_related("project").filter(token=token).first()


def follow_for_user(*, project, user) -> ProjectFollow | None:
    """The signed-in person's follow of the project (by account or by its address)."""
    if user is None or not user.is_authenticated:
        return None
    match = Q(user=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return ProjectFollow.objects.filter(match, project=project).order_by("-pk").first()


def pool_subscription_get(*, token: str) -> PoolSubscription | None:
    if not token:
        return None
    return (
        PoolSubscription.objects.prefetch_related("fields_of_action", "districts")
        .filter(token=token)
        .first()
    )


def follow_recipient_ids(*, project_id: int) -> QuerySet:
    return _active(ProjectFollow.objects.filter(project_id=project_id)).values_list("pk", flat=True)


def pool_recipient_ids(*, project) -> QuerySet:
    """The active Mitmachpool subscriptions the project matches: its Handlungsfeld among the
    chosen ones (or none chosen), and one of its Stadtteile among the chosen ones (or none chosen;
    a project without Stadtteile concerns the whole city and matches every choice)."""
    through_fields = PoolSubscription.fields_of_action.through
    through_districts = PoolSubscription.districts.through
    subscriptions = _active(PoolSubscription.objects.all())
    any_field = Exists(through_fields.objects.filter(poolsubscription_id=OuterRef("pk")))
    if project.field_of_action_id is None:
        subscriptions = subscriptions.filter(~any_field)
    else:
        same_field = Exists(
            through_fields.objects.filter(
                poolsubscription_id=OuterRef("pk"), fieldofaction_id=project.field_of_action_id
            )
        )
        subscriptions = subscriptions.filter(~any_field | same_field)
    district_ids = list(project.districts.values_list("pk", flat=True))
    if district_ids:
        any_district = Exists(through_districts.objects.filter(poolsubscription_id=OuterRef("pk")))
        same_district = Exists(
            through_districts.objects.filter(
                poolsubscription_id=OuterRef("pk"), district_id__in=district_ids
            )
        )
        subscriptions = subscriptions.filter(~any_district | same_district)
    return subscriptions.values_list("pk", flat=True)


def notice_recipients(*, notice: ProjectNotice) -> tuple[str, list[int]]:
    """("follow" or "subscription", ids) of the people who get this notice."""
    if notice.kind == NoticeKind.PARTICIPATION:
        return "subscription", list(pool_recipient_ids(project=notice.project))
    return "follow", list(follow_recipient_ids(project_id=notice.project_id))


def notice_pending(*, older_than: datetime) -> QuerySet:
    return ProjectNotice.objects.filter(
        completed_at__isnull=True, created_at__lt=older_than
    ).values_list("pk", flat=True)


def follow_pending_confirmations(*, older_than: datetime, newer_than: datetime) -> QuerySet:
    return ProjectFollow.objects.filter(
        confirmation_sent_at__isnull=True,
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__lt=older_than,
        created_at__gt=newer_than,
    ).values_list("pk", flat=True)


def pool_pending_confirmations(*, older_than: datetime, newer_than: datetime) -> QuerySet:
    return PoolSubscription.objects.filter(
        confirmation_sent_at__isnull=True,
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__lt=older_than,
        created_at__gt=newer_than,
    ).values_list("pk", flat=True)


def pool_pending_settings_links(*, older_than: datetime, newer_than: datetime) -> QuerySet:
    """Subscriptions whose settings link was asked for and not sent (the broker was down)."""
    return PoolSubscription.objects.filter(
        Q(settings_link_sent_at__isnull=True)
        | Q(settings_link_sent_at__lt=F("settings_link_requested_at")),
        settings_link_requested_at__lt=older_than,
        settings_link_requested_at__gt=newer_than,
        unsubscribed_at__isnull=True,
    ).values_list("pk", flat=True)

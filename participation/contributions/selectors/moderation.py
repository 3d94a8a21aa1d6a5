"""Reads of moderation: the moderator's projects and shared queues, the queue, reports, log."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from participation.projects.models import ProjectPage
from participation.projects.rules import is_moderator

from ..constants import ModerationState
from ..models import Comment, ContributionReport, Idea, ModerationLog, ReasonTemplate
from ..targets import TargetKind, kind_q, target_kinds, target_q
from .contributions import _attach, _with_ticket


def project_list_for_moderator(user) -> QuerySet[ProjectPage]:
    """The projects `user` moderates (rule `projects.moderate`, as a query): all of them for
    administrators and the Moderation group, else those of the user's departments."""
    projects = ProjectPage.objects.all()
    if user.is_superuser or is_moderator(user, None):
        return projects
    if not (user and user.is_authenticated):
        return projects.none()
    return projects.filter(department__in=user.department_memberships.values("department_id"))


def _count(model, state_filter: Q) -> Subquery:
    return Coalesce(
        Subquery(
            model.objects.filter(
                state_filter,
                target_type=ContentType.objects.get_for_model(ProjectPage),
                target_id=OuterRef("pk"),
            )
            .order_by()
            .values("target_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def moderation_overview(user) -> QuerySet[ProjectPage]:
    """The user's projects with what waits for moderation; projects with work first."""
    awaiting = Q(state=ModerationState.AUTO_HIDDEN)
    reported = Q(open_report_count__gt=0)
    return (
        project_list_for_moderator(user)
        .annotate(
            ideas_awaiting=_count(Idea, awaiting),
            comments_awaiting=_count(Comment, awaiting),
            ideas_reported=_count(Idea, reported),
            comments_reported=_count(Comment, reported),
            ideas_total=_count(Idea, Q()),
            comments_total=_count(Comment, Q()),
        )
        .order_by(
            "-ideas_awaiting",
            "-comments_awaiting",
            "-ideas_reported",
            "-comments_reported",
            "title",
        )
    )


@dataclass
class SharedQueue:
    """The one moderation queue of a target kind whose targets share it (the Ideenpool), with
    what waits in it."""

    kind: TargetKind
    awaiting: int
    reported: int
    ideas_total: int
    comments_total: int

    @property
    def url(self) -> str:
        return reverse("contributions_admin:kind-queue", args=[self.kind.key])


def shared_queues_for_moderator(user) -> list[SharedQueue]:
    """The shared queues `user` moderates, each with its counts (two queries per kind)."""
    queues = []
    for kind in target_kinds():
        if not (kind.queue and kind.may_moderate(user, None)):
            continue
        counts = {}
        for name, model in (("ideas", Idea), ("comments", Comment)):
            counts[name] = model.objects.filter(kind_q(kind)).aggregate(
                awaiting=Count("pk", filter=Q(state=ModerationState.AUTO_HIDDEN)),
                reported=Count("pk", filter=Q(open_report_count__gt=0)),
                total=Count("pk"),
            )
        queues.append(
            SharedQueue(
                kind=kind,
                awaiting=counts["ideas"]["awaiting"] + counts["comments"]["awaiting"],
                reported=counts["ideas"]["reported"] + counts["comments"]["reported"],
                ideas_total=counts["ideas"]["total"],
                comments_total=counts["comments"]["total"],
            )
        )
    return queues


def may_moderate_any(user) -> bool:
    """Does `user` moderate any discussion? Asked by every admin menu item of a request: the
    answer is kept on the user object of that request."""
    if not (user and user.is_authenticated):
        return False
    answer = getattr(user, "_may_moderate_any", None)
    if answer is None:
        answer = project_list_for_moderator(user).exists() or any(
            kind.queue and kind.may_moderate(user, None) for kind in target_kinds()
        )
        user._may_moderate_any = answer
    return answer


QUEUE_FILTERS = {
    "gemeldet": Q(open_report_count__gt=0) | Q(state=ModerationState.AUTO_HIDDEN),
    "ausgeblendet": Q(state=ModerationState.HIDDEN),
    "offline": ~Q(channel="online"),
    "alle": Q(),
}


def moderation_queue(
    *, project: ProjectPage | None = None, kind: TargetKind | None = None, show: str = "alle"
) -> list:
    """Ideas and comments of a project, or of every target of a shared kind (each row then has
    its target, for the link to it): waiting for a decision first, then by number of open
    reports, then newest. A fixed number of queries, whatever the number of rows."""
    condition = QUEUE_FILTERS.get(show, Q())
    condition &= target_q(project) if project is not None else kind_q(kind)
    ideas = _with_ticket(Idea.objects.filter(condition))
    comments = _with_ticket(Comment.objects.filter(condition)).select_related("idea")
    if project is None:
        ideas, comments = ideas.prefetch_related("target"), comments.prefetch_related("target")
    items = [*ideas, *comments]
    if project is not None:
        _attach(items, project)
    items.sort(
        key=lambda item: (
            item.state != ModerationState.AUTO_HIDDEN,
            -item.open_report_count,
            -item.created_at.timestamp(),
        )
    )
    return items


def report_list(*, contribution) -> QuerySet[ContributionReport]:
    field_name = "idea" if isinstance(contribution, Idea) else "comment"
    return ContributionReport.objects.filter(**{field_name: contribution}).order_by("-created_at")


def moderation_log_list(*, target=None, contribution=None):
    """Decisions, newest first: of one target's discussion, of one contribution, or all (each
    with its target)."""
    logs = ModerationLog.objects.select_related("actor", "user").prefetch_related("target")
    if target is not None:
        logs = logs.filter(target_q(target))
    if contribution is not None:
        field_name = "idea" if isinstance(contribution, Idea) else "comment"
        logs = logs.filter(**{field_name: contribution})
    return logs.order_by("-created_at", "-pk")


def moderated_logs_q(user, projects: QuerySet[ProjectPage]) -> Q:
    """The decisions `user` may read: those in `projects` (the ones they moderate) and those in
    the shared queues they moderate."""
    condition = Q(
        target_type=ContentType.objects.get_for_model(ProjectPage),
        target_id__in=projects.values("pk"),
    )
    for kind in target_kinds():
        if kind.queue and kind.may_moderate(user, None):
            condition |= kind_q(kind)
    return condition


def reason_template_list() -> QuerySet[ReasonTemplate]:
    return ReasonTemplate.objects.order_by("sort_order", "title")

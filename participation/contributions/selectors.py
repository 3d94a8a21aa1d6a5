"""Reads of the contributions app: the project page section, the idea page, the discussion of any
target (targets.py), and the moderation queue. Lists are fetched in a fixed number of queries,
whatever their length."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.projects.constants import Module
from participation.projects.models import ProjectPage
from participation.projects.rules import is_blocked, is_confirmed, is_moderator

from .constants import ContributionKind, ModerationState
from .models import (
    Comment,
    ContributionReport,
    Idea,
    ModerationLog,
    ReasonTemplate,
    Support,
)
from .rules import allowed, in_edit_window, is_author, is_deleted, is_visible
from .targets import TargetKind, kind_for, kind_q, target_kinds, target_q

MODULE_PERMISSION = {
    Module.IDEAS: "projects.add_idea",
    Module.COMMENTS: "projects.add_comment",
    Module.RATINGS: "projects.add_rating",
}

NOT_OPEN = {
    Module.IDEAS: _("In der aktuellen Phase können keine Ideen eingereicht werden."),
    Module.COMMENTS: _("In der aktuellen Phase kann nicht kommentiert werden."),
    Module.RATINGS: _("In der aktuellen Phase können Ideen nicht unterstützt werden."),
}


# --- who may do what, and why not -----------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    """Why a person may not take part in a module right now. `code` lets the page offer the way
    out (sign in, confirm the e-mail address)."""

    code: str  # "closed", "login", "confirm", "blocked"
    message: str


def account_refusal(user) -> Refusal | None:
    """Why `user`'s account may not take part (not signed in, e-mail not confirmed, blocked)."""
    if not (user and user.is_authenticated):
        return Refusal("login", str(_("Bitte melden Sie sich an, um mitzumachen.")))
    if not is_confirmed(user):
        return Refusal(
            "confirm",
            str(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Den Link dazu haben wir "
                  "Ihnen per E-Mail geschickt.")),
        )  # fmt: skip
    if is_blocked(user):
        return Refusal("blocked", str(_("Ihr Konto ist für die Beteiligung gesperrt.")))
    return None


def participation_refusal(*, user, project: ProjectPage, module: str) -> Refusal | None:
    """None if `user` may do `module` in the project now (the rules decide), else the reason."""
    if allowed(MODULE_PERMISSION[module], user, project):
        return None
    phase = project.phase_at()
    if phase is None or not phase.has_module(module):
        return Refusal("closed", str(NOT_OPEN[module]))
    return account_refusal(user) or Refusal("closed", str(NOT_OPEN[module]))


def comment_refusal(*, user, target) -> Refusal | None:
    """None if `user` may comment on `target` now, else the reason (the target's kind decides)."""
    return kind_for(target).comment_refusal(user, target)


def _mark_permissions(items, *, user, blocked: bool) -> None:
    """Per item: may the user change or delete it? The rules' own predicates, with the one
    database-backed test (blocked) answered once for the whole list."""
    for item in items:
        own = is_author(user, item)
        item.may_edit = (
            own and is_visible(user, item) and in_edit_window(user, item) and not blocked
        )
        item.may_delete = own and not is_deleted(user, item)


# --- public reads ---------------------------------------------------------------------------------
def project_get_public(*, project_id: int) -> ProjectPage | None:
    return ProjectPage.objects.live().public().filter(pk=project_id).first()


def _with_ticket(queryset: QuerySet) -> QuerySet:
    # the public status label of a duplicate names the original ticket
    return queryset.select_related("author", "ticket", "ticket__duplicate_of")


def _public_projects() -> Q:
    return Q(
        target_type=ContentType.objects.get_for_model(ProjectPage),
        target_id__in=ProjectPage.objects.live().public().values("pk"),
    )


def idea_list(*, project: ProjectPage) -> QuerySet[Idea]:
    """The project's ideas, newest first, with their number of comments."""
    return _with_ticket(Idea.objects.for_target(project)).annotate(
        comment_total=Count("comments", filter=~Q(comments__state=ModerationState.DELETED))
    )


def idea_get_public(*, pk: int) -> Idea | None:
    """An idea of a published project."""
    return (
        _with_ticket(Idea.objects.filter(_public_projects(), pk=pk))
        .select_related("district")
        .first()
    )


def _public(contribution):
    """The contribution if its target shows its discussion publicly, else None."""
    if contribution is None or contribution.target is None:
        return None
    if not contribution.target_kind.is_public(contribution.target):
        return None
    return contribution


def comment_get_public(*, pk: int) -> Comment | None:
    """A comment whose target is public (a published project, a pool idea)."""
    return _public(
        _with_ticket(Comment.objects.filter(pk=pk)).select_related("idea", "parent").first()
    )


def _attach(items, target) -> None:
    """Give rows of one target that target, so that reading it costs no query per row."""
    for item in items:
        item.target = target


def comment_list(*, target, idea: Idea | None = None) -> QuerySet[Comment]:
    """The comments of a target's discussion (idea=None) or of one of a project's ideas, oldest
    first."""
    return _with_ticket(Comment.objects.for_target(target).filter(idea=idea)).order_by(
        "created_at", "pk"
    )


def comment_tree(comments) -> list[Comment]:
    """Top-level comments, each with `reply_list` (oldest first), from one flat list."""
    replies: dict[int, list[Comment]] = {}
    top: list[Comment] = []
    for comment in comments:
        comment.reply_list = []
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment.reply_list = replies.get(comment.pk, [])
    return top


def supported_idea_ids(*, user, project: ProjectPage) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(
        Support.objects.filter(target_q(project, prefix="idea__"), user=user).values_list(
            "idea_id", flat=True
        )
    )


@dataclass
class Discussion:
    """Comments with replies and what the viewer may do with them."""

    comments: list[Comment]
    total: int
    refusal: Refusal | None
    form: object | None = None

    @property
    def may_comment(self) -> bool:
        return self.refusal is None


@dataclass
class ProjectSection:
    """What `templates/contributions/_project_section.html` shows."""

    project: ProjectPage
    project_url: str
    ideas: list[Idea]
    idea_refusal: Refusal | None
    support_refusal: Refusal | None
    discussion: Discussion
    idea_form: object | None = None
    map_points: list[dict] = field(default_factory=list)
    modules: set[str] = field(default_factory=set)  # switched on in any phase of the project

    @property
    def edit_minutes(self) -> int:
        return settings.CONTRIBUTIONS_EDIT_MINUTES

    @property
    def shows_ideas(self) -> bool:
        return Module.IDEAS in self.modules or bool(self.ideas)

    @property
    def shows_discussion(self) -> bool:
        return Module.COMMENTS in self.modules or bool(self.discussion.comments)

    @property
    def may_add_idea(self) -> bool:
        return self.idea_refusal is None

    @property
    def may_support(self) -> bool:
        return self.support_refusal is None

    @property
    def idea_total(self) -> int:
        return len(self.ideas)


def _decorate(items, *, user, blocked: bool, supported: set[int] | None = None) -> None:
    _mark_permissions(items, user=user, blocked=blocked)
    if supported is not None:
        for item in items:
            item.is_supported = item.pk in supported


def discussion_for(*, target, idea=None, user, form=None) -> Discussion:
    """The discussion of a target (a project, a pool idea), or of one of a project's ideas."""
    flat = list(comment_list(target=target, idea=idea))
    _attach(flat, target)
    blocked = is_blocked(user)
    _decorate(flat, user=user, blocked=blocked)
    return Discussion(
        comments=comment_tree(flat),
        total=sum(1 for comment in flat if comment.state != ModerationState.DELETED),
        refusal=comment_refusal(user=user, target=target),
        form=form,
    )


def project_context(*, project, request) -> dict:
    """What the project page needs from this app (merged into its template context).

    A view that re-shows the page after a failed form sets `request.contributions_forms`
    (name → bound form) so that the errors appear in place."""
    from .forms import CommentForm, IdeaForm

    if project.pk is None:  # the admin's preview of a page not saved yet
        return {"contributions": None}
    user = request.user
    bound = getattr(request, "contributions_forms", {})
    ideas = list(idea_list(project=project))
    _attach(ideas, project)
    _decorate(
        ideas,
        user=user,
        blocked=is_blocked(user),
        supported=supported_idea_ids(user=user, project=project),
    )
    idea_refusal = participation_refusal(user=user, project=project, module=Module.IDEAS)
    discussion = discussion_for(target=project, user=user)
    if discussion.may_comment:
        discussion.form = bound.get("comment") or CommentForm()
    project_url = project.get_url(request) or ""
    section = ProjectSection(
        project=project,
        project_url=project_url,
        ideas=ideas,
        idea_refusal=idea_refusal,
        support_refusal=participation_refusal(user=user, project=project, module=Module.RATINGS),
        discussion=discussion,
        idea_form=(bound.get("idea") or IdeaForm()) if idea_refusal is None else None,
        modules={module for phase in project.phases.all() for module in phase.modules or []},
        map_points=[
            {
                "title": idea.title,
                "latitude": float(idea.latitude),
                "longitude": float(idea.longitude),
                "url": f"{project_url}#{idea.anchor}",
            }
            for idea in ideas
            if idea.is_visible and idea.has_location
        ],
    )
    return {"contributions": section}


def target_title(target) -> str:
    return kind_for(target).title(target) if target is not None else ""


def target_url(target) -> str:
    """Where the target's discussion is shown publicly ("" when it is not)."""
    if target is None:
        return ""
    kind = kind_for(target)
    return kind.url(target) if kind.is_public(target) else ""


def contribution_public_url(contribution) -> str:
    """Where the contribution is shown: on the project idea's page (comments on such an idea),
    or on its target's page (the project page, the pool idea's page)."""
    if isinstance(contribution, Comment) and contribution.idea_id:
        return reverse("contributions:idea-detail", args=[contribution.idea_id]) + (
            f"#{contribution.anchor}"
        )
    target = contribution.target
    return f"{kind_for(target).url(target) or '/'}#{contribution.anchor}"


def contribution_get(*, kind: str, pk: int, public: bool = True):
    """An idea or a comment by its URL word and id (whose target is public when `public`)."""
    if kind == ContributionKind.IDEA:
        if public:
            return idea_get_public(pk=pk)
        return _with_ticket(Idea.objects.filter(pk=pk)).first()
    if kind == ContributionKind.COMMENT:
        if public:
            return comment_get_public(pk=pk)
        return _with_ticket(Comment.objects.filter(pk=pk)).select_related("idea", "parent").first()
    return None


def contribution_get_reportable(*, kind: str, pk: int):
    """What "Melden" takes: a public comment, or an idea whose target is public (a project's
    idea, or the input of a pool idea, whose target is the pool idea itself)."""
    if kind == ContributionKind.IDEA:
        return _public(_with_ticket(Idea.objects.filter(pk=pk)).select_related("district").first())
    return contribution_get(kind=kind, pk=pk)


# --- moderation -----------------------------------------------------------------------------------
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

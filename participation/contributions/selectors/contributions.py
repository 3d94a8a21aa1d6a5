"""Public reads of single ideas and comments and of a target's lists, and where each is shown."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from participation.projects.models import ProjectPage

from ..constants import (
    DISCUSSION_PAGE_PARAM,
    DISCUSSION_PAGE_SIZE,
    ContributionKind,
    ModerationState,
)
from ..models import Comment, Idea, Support
from ..targets import kind_for, target_q


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


def target_title(target) -> str:
    return kind_for(target).title(target) if target is not None else ""


def target_url(target) -> str:
    """Where the target's discussion is shown publicly ("" when it is not)."""
    if target is None:
        return ""
    kind = kind_for(target)
    return kind.url(target) if kind.is_public(target) else ""


def discussion_is_paged(target) -> bool:
    """Every discussion comes in pages: a Vorhaben's (its own and its ideas') and a pool idea's."""
    return target is not None


def discussion_page_of(comment: Comment) -> int:
    """The page of its discussion that shows the comment (a reply: its parent's page)."""
    top = comment.parent if comment.parent_id else comment
    earlier = (
        Comment.objects.for_target(comment.target)
        .filter(idea_id=comment.idea_id, parent__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    return earlier // DISCUSSION_PAGE_SIZE + 1


def contribution_public_url(contribution) -> str:
    """Where the contribution is shown: on the project idea's page (comments on such an idea),
    or on its target's page (the project page, the pool idea's page); a comment on the page of
    the discussion that holds it (`?beitraege=3#kommentar-12`)."""
    target = contribution.target
    query = ""
    if isinstance(contribution, Comment) and discussion_is_paged(target):
        page = discussion_page_of(contribution)
        query = f"?{DISCUSSION_PAGE_PARAM}={page}" if page > 1 else ""
    if isinstance(contribution, Comment) and contribution.idea_id:
        url = reverse("contributions:idea-detail", args=[contribution.idea_id])
    else:
        url = kind_for(target).url(target) or "/"
    return f"{url}{query}#{contribution.anchor}"


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

"""What the project page and a discussion show: comments with replies, ideas, forms, refusals."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from participation.projects.constants import Module
from participation.projects.models import ProjectPage
from participation.projects.rules import is_blocked

from ..constants import ModerationState
from ..models import Comment, Idea
from .contributions import _attach, comment_list, comment_tree, idea_list, supported_idea_ids
from .refusals import Refusal, _mark_permissions, comment_refusal, participation_refusal


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
    from ..forms import CommentForm, IdeaForm

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

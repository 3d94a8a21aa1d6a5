"""What the project page and a discussion show: comments with replies, ideas, forms, refusals."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from participation.projects.constants import Module
from participation.projects.models import ProjectPage
from participation.projects.rules import is_blocked
from participation.projects.sections import PUBLIC_KEY
from portal.core.sql import ask, column, exists, table

from ..constants import (
    DISCUSSION_FRAGMENT_SECONDS,
    DISCUSSION_PAGE_PARAM,
    DISCUSSION_PAGE_SIZE,
    ModerationState,
)
from ..models import Comment, Idea, Support
from ..targets import kind_for
from .contributions import (
    _attach,
    comment_list,
    comment_tree,
    discussion_is_paged,
    idea_list,
    supported_idea_ids,
)
from .refusals import Refusal, _mark_permissions, comment_refusal, participation_refusal


@dataclass
class Discussion:
    """Comments with replies and what the viewer may do with them: one page of the top-level
    comments (oldest first, each with all its replies), or all of them where the discussion is
    not paged (page 0)."""

    comments: list[Comment]  # read when first used (a kept public part needs none)
    counts: dict  # "total" (not deleted) and "top" (top-level): read when first used
    refusal: Refusal | None
    form: object | None = None
    requested_page: int = 0  # from 1 (out of range: the last page); 0: not paged
    # the key under which the discussion is a public part of the page (`{% public_part %}` in
    # _discussion.html): what the viewer may do (comment, or why not); None for a viewer who
    # wrote a comment here (their buttons are their own, and they end with the edit window)
    public_key: str | None = None

    @property
    def total(self) -> int:
        return self.counts["total"]

    @property
    def has_comments(self) -> bool:
        return self.counts["top"] > 0

    @property
    def page_count(self) -> int:
        if not self.requested_page:
            return 1
        return max(-(-self.counts["top"] // DISCUSSION_PAGE_SIZE), 1)

    @property
    def page(self) -> int:
        if not self.requested_page:
            return 0
        return min(max(self.requested_page, 1), self.page_count)

    @property
    def may_comment(self) -> bool:
        return self.refusal is None

    @property
    def fragment_seconds(self) -> int:
        return DISCUSSION_FRAGMENT_SECONDS

    @property
    def next_query(self) -> str:
        """The query string of the next page ("" on the last)."""
        if not self.page or self.page >= self.page_count:
            return ""
        return f"?{DISCUSSION_PAGE_PARAM}={self.page + 1}"

    @property
    def previous_query(self) -> str | None:
        """The query string of the page before (the first page: "?"; None on the first)."""
        if self.page <= 1:
            return None
        return f"?{DISCUSSION_PAGE_PARAM}={self.page - 1}" if self.page > 2 else "?"


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
    modules: set[str] = field(default_factory=set)  # switched on in any phase of the project
    # the key under which the list of ideas is a public part of the page (what the viewer may do
    # with it); None for a viewer with their own ideas or supports there
    ideas_key: str | None = None
    any_ideas: bool = False  # read only where no phase has the ideas module

    @property
    def edit_minutes(self) -> int:
        return settings.CONTRIBUTIONS_EDIT_MINUTES

    @property
    def shows_ideas(self) -> bool:
        return Module.IDEAS in self.modules or bool(self.any_ideas)

    @property
    def shows_discussion(self) -> bool:
        return Module.COMMENTS in self.modules or self.discussion.has_comments

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


def page_number(request) -> int:
    """The discussion page a request asks for (`?beitraege=`); anything odd is the first page."""
    try:
        return max(int(request.GET.get(DISCUSSION_PAGE_PARAM, 1)), 1)
    except (TypeError, ValueError):
        return 1


def fragment_version(comment: Comment) -> str:
    """Everything a rendered comment (`_comment.html`, without its replies) shows: its key in the
    fragment cache. An edit, a moderation decision, an erased account, a new display name or a
    ticket's new status makes a new key, so the page shows the change at once. What differs
    between viewers is only what they may do with it (`may_reply`, `may_edit`, `may_delete`,
    set before): it is part of the key, so one person's buttons never reach another."""
    digest = hashlib.blake2b(
        f"{comment.text}\x00{comment.moderation_reason}".encode(), digest_size=12
    ).hexdigest()
    ticket = comment.ticket
    return "|".join(
        (
            comment.state,
            comment.channel,
            comment.author_name,
            comment.created_at.isoformat(),
            comment.edited_at.isoformat() if comment.edited_at else "",
            digest,
            f"{ticket.number}:{ticket.status}:{ticket.public_status_label}" if ticket else "",
            f"{comment.may_reply:d}{comment.may_edit:d}{comment.may_delete:d}",
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        )
    )


# the {% cache %} name in templates/contributions/_comment.html
FRAGMENT_NAME = "discussion_comment"


def _fragment_cache():
    # the cache Django's {% cache %} tag uses
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


def _cached_fragments(comments) -> None:
    """Give each comment its `fragment_version` and, when the fragment cache has it already, its
    rendered fragment (`cached_fragment`): one round trip for the whole page instead of one per
    comment. A miss is rendered and stored by the {% cache %} tag, under the same key."""
    keys = {}
    for comment in comments:
        comment.fragment_version = fragment_version(comment)
        comment.cached_fragment = None
        keys[make_template_fragment_key(FRAGMENT_NAME, [comment.pk, comment.fragment_version])] = (
            comment
        )
    if not keys:
        return
    for key, html in _fragment_cache().get_many(list(keys)).items():
        # our own rendering, stored by the {% cache %} tag
        keys[key].cached_fragment = mark_safe(html)


def discussion_for(
    *, target, idea=None, user, form=None, page: int = 1, own: bool | None = None
) -> Discussion:
    """The discussion of a target (a project, a pool idea), or of one of a project's ideas.

    Discussions are paged (`page`, from 1; out of range: the last page): a fixed number of
    queries and of rendered comments, whatever their number. The counts and the comments are
    read when first used: where the discussion comes from the cache as a public part, neither."""
    # built when first read (where the discussion is a kept public part, never)
    comments = SimpleLazyObject(lambda: comment_list(target=target, idea=idea))
    counts = SimpleLazyObject(
        lambda: comments.aggregate(
            total=Count("pk", filter=~Q(state=ModerationState.DELETED)),
            top=Count("pk", filter=Q(parent__isnull=True)),
        )
    )
    refusal = comment_refusal(user=user, target=target)

    def load() -> list[Comment]:
        page = discussion.page
        if page:
            start = (page - 1) * DISCUSSION_PAGE_SIZE
            top = list(comments.filter(parent__isnull=True)[start : start + DISCUSSION_PAGE_SIZE])
            ids = [comment.pk for comment in top]
            flat = top + (list(comments.filter(parent__in=ids)) if ids else [])
        else:
            flat = list(comments)
        _attach(flat, target)
        _decorate(flat, user=user, blocked=is_blocked(user))
        for comment in flat:
            comment.may_reply = refusal is None and comment.parent_id is None and comment.is_visible
        _cached_fragments(flat)
        return comment_tree(flat)

    if own is None:  # has the viewer written here?
        own = bool(user and user.is_authenticated and comments.filter(author_id=user.pk).exists())
    discussion = Discussion(
        comments=SimpleLazyObject(load),
        counts=counts,
        refusal=refusal,
        form=form,
        requested_page=max(page, 1) if discussion_is_paged(target) else 0,
        public_key=None
        if own
        else ":".join(
            (
                type(target).__name__,
                str(target.pk),
                str(idea.pk) if idea else "",
                refusal.code if refusal else "",
            )
        ),
    )
    return discussion


def discussion_questions(*, target, user) -> dict:
    """Whether `user` wrote in the discussion of `target` (`own` of `discussion_for`), as a
    question to ask with others (portal.core.sql.ask)."""
    if target.pk is None or not (user and user.is_authenticated):
        return {}
    params = [kind_for(target).content_type.pk, target.pk, user.pk]
    return {"contributions:comments": (exists(_stake_sql()[2]), params)}


def project_questions(*, project, request) -> dict:
    """What the project page asks about the viewer for this app (projects.sections): whether they
    support any of the project's ideas, wrote one, or wrote in its discussion."""
    user = request.user
    if project.pk is None or not (user and user.is_authenticated):
        return {}
    params = [kind_for(project).content_type.pk, project.pk, user.pk]
    supports, ideas, comments = _stake_sql()
    return {
        "contributions:supports": (exists(supports), params),
        "contributions:ideas": (exists(ideas), params),
        "contributions:comments": (exists(comments), params),
    }


def project_context(*, project, request, answers=None) -> dict:
    """What the project page needs from this app (merged into its template context); `answers`
    holds those of `project_questions` (asked now when not given).

    A view that re-shows the page after a failed form sets `request.contributions_forms`
    (name → bound form) so that the errors appear in place."""
    from ..forms import CommentForm, IdeaForm

    if project.pk is None:  # the admin's preview of a page not saved yet
        return {"contributions": None}
    user = request.user
    bound = getattr(request, "contributions_forms", {})
    if answers is None:
        answers = ask(project_questions(project=project, request=request))
    stake = {
        what: bool(answers.get(f"contributions:{what}"))
        for what in ("supports", "ideas", "comments")
    }

    def load_ideas() -> list[Idea]:
        ideas = list(idea_list(project=project))
        _attach(ideas, project)
        supported = supported_idea_ids(user=user, project=project) if stake["supports"] else set()
        _decorate(ideas, user=user, blocked=is_blocked(user), supported=supported)
        return ideas

    idea_refusal = participation_refusal(user=user, project=project, module=Module.IDEAS)
    support_refusal = participation_refusal(user=user, project=project, module=Module.RATINGS)
    discussion = discussion_for(
        target=project, user=user, page=page_number(request), own=stake["comments"]
    )
    if discussion.may_comment:
        discussion.form = bound.get("comment") or CommentForm()
    section = ProjectSection(
        project=project,
        project_url=project.get_url(request) or "",
        ideas=SimpleLazyObject(load_ideas),
        idea_refusal=idea_refusal,
        support_refusal=support_refusal,
        discussion=discussion,
        idea_form=(bound.get("idea") or IdeaForm()) if idea_refusal is None else None,
        modules={module for phase in project.phases.all() for module in phase.modules or []},
        # the list of ideas is the same for every viewer who may do the same with it, unless
        # they support one of them or wrote one (their buttons are their own)
        ideas_key=None
        if stake["supports"] or stake["ideas"] or bound
        else ":".join(
            refusal.code if refusal else "" for refusal in (idea_refusal, support_refusal)
        ),
        any_ideas=SimpleLazyObject(lambda: Idea.objects.for_target(project).exists()),
    )
    keys = (section.ideas_key, discussion.public_key)  # ideas_key is None with a bound form
    return {
        "contributions": section,
        PUBLIC_KEY: None if None in keys else "/".join(keys),
    }


@functools.cache
def _stake_sql() -> tuple[str, ...]:
    """The three questions in plain SQL: the ORM takes longer to build them than the database
    takes to answer, on every project page."""

    def attached(model, alias: str) -> str:
        return (
            f"{alias}.{column(model, 'target_type')} = %s"
            f" AND {alias}.{column(model, 'target_id')} = %s"
        )

    return (
        f"SELECT 1 FROM {table(Support)} s INNER JOIN {table(Idea)} i"
        f" ON i.{column(Idea, 'id')} = s.{column(Support, 'idea')}"
        f" WHERE {attached(Idea, 'i')} AND s.{column(Support, 'user')} = %s",
        f"SELECT 1 FROM {table(Idea)} i WHERE {attached(Idea, 'i')}"
        f" AND i.{column(Idea, 'author')} = %s",
        f"SELECT 1 FROM {table(Comment)} c WHERE {attached(Comment, 'c')}"
        f" AND c.{column(Comment, 'author')} = %s AND c.{column(Comment, 'idea')} IS NULL",
    )

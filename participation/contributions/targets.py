"""Discussion targets: what ideas, comments, supports and reports attach to.

A contribution belongs to a *target* (a generic relation): a Vorhaben (ProjectPage), a pool idea,
and whatever source comes next. A source becomes a target by registering a `TargetKind` once (in
its AppConfig.ready); it never copies the contribution model. This app registers projects itself;
the Ideenpool registers its ideas. See docs/architecture.md, "The kernel".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.db.models.signals import post_delete


@dataclass(frozen=True)
class TargetKind:
    """How one kind of target takes part in the discussion.

    `key` is its URL word in the moderation admin; `label` names it there; `title` and `url` say
    what and where it is publicly; `is_public` whether its discussion may be shown at all;
    `comment_refusal(user, target)` returns a `selectors.Refusal` or None; `may_moderate(user,
    target)` decides moderation (target None: "any of this kind"); `record(target, contribution)`
    counts an act of taking part (or is None); `queue` is True when all targets of the kind share
    one moderation queue (projects have one queue each)."""

    key: str
    model: type[Model]
    label: str
    title: Callable[[Model], str]
    url: Callable[[Model], str]
    is_public: Callable[[Model], bool]
    comment_refusal: Callable
    may_moderate: Callable
    record: Callable | None = None
    queue: bool = False

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)


_KINDS: dict[type[Model], TargetKind] = {}


def register_target(kind: TargetKind) -> None:
    _KINDS[kind.model] = kind
    post_delete.connect(
        _discussion_delete, sender=kind.model, dispatch_uid=f"contributions_target_{kind.key}"
    )


def _discussion_delete(sender, instance, **kwargs) -> None:
    """A generic relation has no database cascade: a deleted target takes its ideas and comments
    along, as the foreign key to the project did (the moderation log keeps its lines)."""
    from .models import Comment, Idea

    condition = Q(target_type=ContentType.objects.get_for_model(sender), target_id=instance.pk)
    Comment.objects.filter(condition).delete()
    Idea.objects.filter(condition).delete()


def target_kinds() -> list[TargetKind]:
    return list(_KINDS.values())


def kind_for(target) -> TargetKind:
    """The registered kind of a target object (or of a model class)."""
    model = target if isinstance(target, type) else type(target)
    for klass in model.__mro__:
        if klass in _KINDS:
            return _KINDS[klass]
    raise LookupError(f"{model.__name__} is not a discussion target")


def kind_by_key(key: str) -> TargetKind | None:
    return next((kind for kind in _KINDS.values() if kind.key == key), None)


def target_q(target, prefix: str = "") -> Q:
    """The filter "attached to `target`" (prefix e.g. "idea__" for a related contribution)."""
    content_type = kind_for(target).content_type
    return Q(**{f"{prefix}target_type": content_type, f"{prefix}target_id": target.pk})


def kind_q(kind: TargetKind) -> Q:
    """The filter "attached to any target of this kind"."""
    return Q(target_type=kind.content_type)

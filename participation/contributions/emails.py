"""The e-mails of moderation decisions: German, plain text and HTML. They tell the person
concerned what was decided and why, and nothing about who reported or decided. Owed by
moderation.py (`outbox.owe`); the kernel's worker builds them here (portal.core.outbox)."""

from portal.core import outbox
from portal.core.links import rebased_url

from .constants import ModerationAction
from .models import ModerationLog
from .selectors import target_title, target_url
from .targets import kind_for

NOTICE_KIND = "contributions.moderation_notice"
TEMPLATES = {
    ModerationAction.HIDDEN: "contribution_hidden",
    ModerationAction.USER_BLOCKED: "participant_blocked",
}


@outbox.context_builder(NOTICE_KIND)
def notice_context(message) -> dict | None:
    log = (
        ModerationLog.objects.select_related("idea", "comment")
        .filter(pk=message.context.get("log"))
        .first()
    )
    if log is None:
        return None
    contribution = log.contribution
    target = log.target  # the discussion: a project, a pool idea, …
    return {
        "log": log,
        "reason": log.reason,
        "project": log.project,
        # a target built on this very idea (a pool idea on its input): its title, not the
        # placeholder the public sees once it is hidden
        "target_title": log.target_label
        if log.idea_id is not None and getattr(target, "input_id", None) == log.idea_id
        else target_title(target),
        "target_label": kind_for(target).label if target is not None else "",
        "project_url": rebased_url(target_url(target)) or "",
        "contribution": contribution,
        "kind_label": contribution.kind_label if contribution is not None else "",
    }

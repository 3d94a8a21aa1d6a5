"""Public pages and form targets under /mitmachen/.

Forms work without JavaScript: a POST, then a redirect back to the contribution on the project
page (or the idea page). Invalid input shows the page again with the error summary (400); a
refused action says why: 403 (not allowed now), 409 (once is enough), 429 (too many reports).
"""

from .discussion import (
    comment_create,
    comment_reply,
    idea_comment_create,
    idea_create,
    idea_detail,
    idea_support,
)
from .own import contribution_delete, contribution_edit
from .report import RATE_WINDOW, REPORTER_SESSION_KEY, contribution_report

__all__ = [
    "RATE_WINDOW",
    "REPORTER_SESSION_KEY",
    "comment_create",
    "comment_reply",
    "contribution_delete",
    "contribution_edit",
    "contribution_report",
    "idea_comment_create",
    "idea_create",
    "idea_detail",
    "idea_support",
]

"""Writes of the Ideenpool: submit, support and withdraw, the stage lifecycle, the link to the
Vorhaben an idea became, and the e-mails each public step owes authors and supporters.

An idea has one timeline, its ticket's: a stage is a public status of the ticket in the
Ideenpool's words, and every public step is a line of the ticket's timeline (`_step`). A
department's answer on the ticket is such a line already; nothing is mirrored.

The idea and its ticket are written in one transaction (ARCHITECTURE: the database is the truth);
the KPI counters move in the transaction of the change they count. An idea's title, text,
author, place, moderation state and supports are its input's (contributions.Idea, whose
discussion target is the idea); support counts are kept in the input's `support_count` by an
atomic `UPDATE … SET support_count = support_count ± 1`, so 200
people supporting at the same moment give 200, and a list never counts supports per row.

base: errors, the account check, the KPI counters; timeline: the ticket's lines and their
e-mails; submission: submitting; supports: supporting and withdrawing; stages: staff decisions
(stage, Vorhaben); moderation: hiding and restoring.
"""

from .base import (  # noqa: F401
    AlreadyDone,
    IdeaRefused,
    _clean,
    _count,
    account_refusal,
)
from .moderation import idea_hide, idea_restore  # noqa: F401
from .stages import (  # noqa: F401
    STAGE_COUNTERS,
    _lock,
    _require_handler,
    idea_link_project,
    stage_change,
)
from .submission import (  # noqa: F401
    DEFAULT_CATEGORY_SLUG,
    _ticket_summary,
    idea_category,
    idea_submit,
    support_window_end,
)
from .supports import idea_support, idea_support_withdraw, support_refusal  # noqa: F401
from .timeline import _notices_owe, _step, answer_from_ticket  # noqa: F401

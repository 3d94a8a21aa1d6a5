"""Writes on tickets. Every change records an event; side effects run after commit.

base: the doorbell, numbers, the timeline, e-mails owed; routing: opening, routing, the relay;
work: the department's work on a ticket; dialogue: questions to the citizen, their answers,
"nicht behoben" and satisfaction.
"""

from .base import (  # noqa: F401
    ANNOUNCE_WITHIN,
    RELAY_AFTER,
    RELAY_BATCH,
    ROUTE_BATCH,
    RoutingError,
    _citizen_reachable,
    _enqueue,
    _enqueue_on_commit,
    _next_number,
    _notify,
    _notify_citizen,
    _task,
    ticket_event_record,
    ticket_events_record,
)
from .dialogue import (  # noqa: F401
    reopen_until,
    ticket_answer,
    ticket_ask_citizen,
    ticket_feedback,
    ticket_questions_due,
    ticket_reopen,
)
from .routing import (  # noqa: F401
    RoutingTable,
    failed_job_retry,
    routing_resolve,
    ticket_open,
    ticket_relay,
    ticket_route,
    ticket_route_due,
    ticket_routing_failed,
)
from .work import (  # noqa: F401
    _lock,
    _require_routed,
    _set_status,
    department_digest_create,
    ticket_accept,
    ticket_add_note,
    ticket_assign,
    ticket_change_status,
    ticket_hand_over,
    ticket_mark_duplicate,
    ticket_record_step,
)

"""What the scale-out run proves, read from the database, the broker and the mail sink.

Runs on a web host with the portal's production settings. Polls (no fixed sleep) until every
accepted submission has its ticket routed and its e-mails sent and the broker's queue is empty,
or until the timeout; then counts, for the run's submissions:

- tickets per submission (by the citizen's e-mail address and the receipt token): exactly one;
- "routed" lines in each ticket's timeline (one per routing that happened): exactly one;
- receipt and department e-mails owed in the outbox per ticket: exactly one each, sent, not failed;
- receipt e-mails that reached the SMTP sink per citizen, department e-mails per ticket: one each
  (counted by Message-ID; copies resent under the same Message-ID are reported apart).

Prints one JSON line and exits 1 when anything is lost or doubled.

    python check.py RUN_ID SUBMISSIONS_JSON SINK_JSONL TIMEOUT_SECONDS
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import close_old_connections  # noqa: E402

from portal.core.models import OutboxMessage  # noqa: E402
from portal.tickets.constants import EventKind, RoutingState  # noqa: E402
from portal.tickets.models import Ticket, TicketEvent  # noqa: E402


def say(*parts, file=None, flush=True) -> None:
    """A line for the operator (the run's output is its report)."""
    stream = file or sys.stdout
    stream.write(" ".join(str(part) for part in parts) + "\n")
    if flush:
        stream.flush()


POLL_SECONDS = 1.0
RECEIPT, DEPARTMENT_NEW = "tickets.receipt", "tickets.department_new"


def sink_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def look(run_id: str, submissions: list[dict], sink: Path, broker) -> dict:
    close_old_connections()
    domain = "@scaleout.example"
    prefix = f"buerger-{run_id}-"
    tickets = list(
        Ticket.objects.filter(contact_email__startswith=prefix, contact_email__endswith=domain)
        .values("pk", "number", "contact_email", "access_token", "routing_state")
        .order_by("pk")
    )
    ids = {ticket["pk"] for ticket in tickets}
    routed_lines = Counter(
        TicketEvent.objects.filter(ticket_id__in=ids, kind=EventKind.ROUTED).values_list(
            "ticket_id", flat=True
        )
    )
    owed = {RECEIPT: Counter(), DEPARTMENT_NEW: Counter()}
    unsent, failed = Counter(), Counter()
    for kind, context, sent_at, failed_at in OutboxMessage.objects.filter(
        kind__in=owed
    ).values_list("kind", "context", "sent_at", "failed_at"):
        ticket_id = (context or {}).get("ticket")
        if ticket_id not in ids:
            continue
        owed[kind][ticket_id] += 1
        unsent[kind] += sent_at is None
        failed[kind] += failed_at is not None
    mails = sink_lines(sink)
    # A mail counts once per Message-ID: a worker that dies after the mail server accepted a
    # message and before the outbox row was marked sent makes the relay send it again, and only
    # an unchanged Message-ID lets the receiving side recognise the copy.
    receipts = {
        (address, mail["message_id"])
        for mail in mails
        if "eingegangen" in mail["subject"]
        for address in mail["to"]
        if address.startswith(prefix)
    }
    receipt_deliveries = sum(
        1
        for mail in mails
        if "eingegangen" in mail["subject"]
        for address in mail["to"]
        if address.startswith(prefix)
    )
    receipts_at_sink = Counter(address for address, _message_id in receipts)
    numbers = {ticket["number"] for ticket in tickets}
    department_mails = [
        mail
        for mail in mails
        if mail["ticket"] in numbers and not any(a.startswith(prefix) for a in mail["to"])
    ]
    department_at_sink = Counter(
        number for number, _message_id in {(m["ticket"], m["message_id"]) for m in department_mails}
    )

    tickets_by_email = {}
    for ticket in tickets:
        tickets_by_email.setdefault(ticket["contact_email"], []).append(ticket)
    accepted = [s for s in submissions if s["token"]]
    per_submission = Counter(len(tickets_by_email.get(s["email"], [])) for s in accepted)
    token_mismatch = sum(
        1
        for s in accepted
        if len(tickets_by_email.get(s["email"], [])) == 1
        and tickets_by_email[s["email"]][0]["access_token"] != s["token"]
    )
    submitted_emails = {s["email"] for s in accepted}
    unconfirmed = sum(1 for email in tickets_by_email if email not in submitted_emails)
    routed = sum(ticket["routing_state"] == RoutingState.ROUTED for ticket in tickets)
    return {
        "submissions": len(submissions),
        "accepted": len(accepted),
        "refused_or_failed": len(submissions) - len(accepted),
        "tickets": len(tickets),
        "submissions_without_ticket": per_submission[0],
        "submissions_with_more_tickets": sum(n for k, n in per_submission.items() if k > 1),
        "tickets_without_confirmed_submission": unconfirmed,
        "receipt_token_mismatch": token_mismatch,
        "tickets_routed": routed,
        "tickets_routing_failed": sum(t["routing_state"] == RoutingState.FAILED for t in tickets),
        "tickets_not_routed": len(tickets) - routed,
        "tickets_routed_twice": sum(1 for n in routed_lines.values() if n > 1),
        "routed_lines": sum(routed_lines.values()),
        "receipts_owed": sum(owed[RECEIPT].values()),
        "tickets_without_receipt_owed": sum(1 for pk in ids if not owed[RECEIPT][pk]),
        "receipts_owed_twice": sum(1 for n in owed[RECEIPT].values() if n > 1),
        "receipts_unsent": unsent[RECEIPT],
        "receipts_failed": failed[RECEIPT],
        "department_mails_owed": sum(owed[DEPARTMENT_NEW].values()),
        "department_mails_owed_twice": sum(1 for n in owed[DEPARTMENT_NEW].values() if n > 1),
        "department_mails_unsent": unsent[DEPARTMENT_NEW],
        "department_mails_failed": failed[DEPARTMENT_NEW],
        "receipts_at_sink": sum(receipts_at_sink.values()),
        "smtp_resent_with_same_message_id": receipt_deliveries
        - len(receipts)
        + len(department_mails)
        - sum(department_at_sink.values()),
        "citizens_without_receipt_at_sink": sum(
            1 for t in tickets if not receipts_at_sink[t["contact_email"]]
        ),
        "citizens_with_receipt_twice_at_sink": sum(1 for n in receipts_at_sink.values() if n > 1),
        "department_mails_at_sink": sum(department_at_sink.values()),
        "tickets_without_department_mail_at_sink": sum(
            1 for number in numbers if not department_at_sink[number]
        ),
        "tickets_with_department_mail_twice_at_sink": sum(
            1 for n in department_at_sink.values() if n > 1
        ),
        "broker_queue": broker.llen("celery"),
    }


# what must be zero once the run is done
LOSSES = (
    "refused_or_failed",
    "submissions_without_ticket",
    "tickets_without_confirmed_submission",
    "tickets_not_routed",
    "tickets_without_receipt_owed",
    "receipts_unsent",
    "receipts_failed",
    "department_mails_unsent",
    "department_mails_failed",
    "citizens_without_receipt_at_sink",
    "tickets_without_department_mail_at_sink",
)
DUPLICATES = (
    "submissions_with_more_tickets",
    "receipt_token_mismatch",
    "tickets_routed_twice",
    "receipts_owed_twice",
    "department_mails_owed_twice",
    "citizens_with_receipt_twice_at_sink",
    "tickets_with_department_mail_twice_at_sink",
)


def main() -> int:
    run_id, submissions_path, sink_path, timeout = sys.argv[1:5]
    submissions = json.loads(Path(submissions_path).read_text())["submissions"]
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=5)
    started = time.monotonic()
    deadline = started + float(timeout)
    while True:
        seen = look(run_id, submissions, Path(sink_path), broker)
        done = (
            seen["tickets_not_routed"] == 0
            and seen["receipts_unsent"] == 0
            and seen["department_mails_unsent"] == 0
            and seen["citizens_without_receipt_at_sink"] == 0
            and seen["tickets_without_department_mail_at_sink"] == 0
            and seen["broker_queue"] == 0
        )
        if done or time.monotonic() > deadline:
            break
        time.sleep(POLL_SECONDS)
    seen["waited_seconds"] = round(time.monotonic() - started, 1)
    seen["complete"] = done
    seen["lost"] = {name: seen[name] for name in LOSSES if seen[name]}
    seen["doubled"] = {name: seen[name] for name in DUPLICATES if seen[name]}
    say(json.dumps(seen), flush=True)
    return 0 if done and not seen["lost"] and not seen["doubled"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Owing, sending and relaying e-mails: the one outbox of the portal (docs/architecture.md,
"The kernel").

Apps decide only who gets which message: `owe()` inside their own transaction writes one row under
an idempotency key and rings the send task after commit. The send task locks the row, returns if
it was sent already, builds the context from the ids, renders and sends. The relay rings again
for rows whose doorbell was lost; `OUTBOX_SENDING_ENABLED = False` pauses sending without losing
anything.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from portal.core import doorbell

from .models import OutboxMessage
from .registry import builder_for, forgets_after_send

logger = logging.getLogger(__name__)


def _send_task():
    from portal.core.tasks import outbox_send_task

    return outbox_send_task


def owe(
    key: str, *, kind: str, recipient: str, template: str, context: dict | None = None
) -> OutboxMessage | None:
    """Record that `recipient` is owed the e-mail `template` (once per `key`) and ring the send
    task after commit. Returns the row (the existing one when `key` was owed before), or None
    when there is nobody to write to."""
    if not recipient:
        return None
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "template": template,
            "context": context or {},
        },
    )
    if created:
        doorbell.ring_on_commit(_send_task, message.pk)
    return message


def owe_many(items: list[dict]) -> list[OutboxMessage]:
    """`owe()` for many e-mails at once (each item: key, kind, recipient, template, context):
    the keys owed before are read in one query, the new rows written in one INSERT, and each
    rings the send task after commit. Returns the new rows (items without a recipient and keys
    owed before are left out). Should another transaction owe one of the keys at the same time,
    the INSERT is undone and each item is owed on its own."""
    items = [item for item in items if item["recipient"]]
    if not items:
        return []
    known = set(
        OutboxMessage.objects.filter(key__in=[item["key"] for item in items]).values_list(
            "key", flat=True
        )
    )
    rows, seen = [], set()
    for item in items:
        if item["key"] in known or item["key"] in seen:
            continue
        seen.add(item["key"])
        rows.append(
            OutboxMessage(
                key=item["key"],
                kind=item["kind"],
                recipient=item["recipient"],
                template=item["template"],
                context=item.get("context") or {},
            )
        )
    try:
        with transaction.atomic():
            created = OutboxMessage.objects.bulk_create(rows)
    except IntegrityError:
        created = [message for item in items if (message := _owe_new(item)) is not None]
        return created
    for message in created:
        doorbell.ring_on_commit(_send_task, message.pk)
    return created


def _owe_new(item: dict) -> OutboxMessage | None:
    """owe() for one item; the row only when this call created it."""
    before = OutboxMessage.objects.filter(key=item["key"]).exists()
    message = owe(
        item["key"],
        kind=item["kind"],
        recipient=item["recipient"],
        template=item["template"],
        context=item.get("context"),
    )
    return None if before else message


def build_email(message: OutboxMessage) -> EmailMultiAlternatives | None:
    """The e-mail of `message`, or None when its kind has nothing to say any more."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "base_url": settings.BASE_URL}
    build = builder_for(message.kind)
    extra = build(message) if build is not None else dict(message.context)
    if extra is None:
        return None
    attachments = extra.pop("attachments", ())
    headers = extra.pop("headers", {})  # e.g. List-Unsubscribe of subscription notices
    headers.setdefault("Message-ID", message_id_header(message))
    context.update(extra)
    subject = " ".join(render_to_string(f"{message.template}_subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"{message.template}.txt", context),
        to=[message.recipient],
        headers=headers,
    )
    try:
        html = render_to_string(f"{message.template}.html", context)
    except TemplateDoesNotExist:
        html = None
    if html is not None and html.strip():
        email.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email


def message_id_header(message: OutboxMessage) -> str:
    """The Message-ID of an owed e-mail, the same on every attempt. The send cannot be atomic
    with the mail server: a worker that dies after the server accepted the message and before
    the row is marked sent leaves it to the relay, which sends it again; under the same
    Message-ID the receiving side can recognise the copy (RFC 5322 §3.6.4)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{message.created_at:%Y%m%d%H%M%S%f}.{message.pk}@{domain}>"


def message_send(*, message_id: int) -> bool:
    """Send the message once. Returns True when it was sent (or found nothing to say) now."""
    if not settings.OUTBOX_SENDING_ENABLED:
        return False  # paused: the row waits, the relay rings again once sending is on
    OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1
    )
    with transaction.atomic():
        # the lock makes a second delivery of the same task wait and then find it sent
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        email = build_email(message)
        if email is not None:
            email.send()
        message.sent_at = timezone.now()
        message.failed_at = None
        message.last_error = ""
        fields = ["sent_at", "failed_at", "last_error"]
        if forgets_after_send(message.kind):
            message.context = {}
            fields.append("context")
        message.save(update_fields=fields)
    return True


def error_summary(exc: BaseException) -> str:
    """What an operator may see of a failure: the error's type and SMTP code, no text (it may
    hold an address)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}" + (f" (SMTP {code})" if code else "")


def message_failed(*, message_id: int, exc: BaseException) -> None:
    """The send task gave up: the row is marked failed and left out of the relay."""
    OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(
        failed_at=timezone.now(), last_error=error_summary(exc)[:2000]
    )
    logger.error("Outbox message %s failed for good: %s", message_id, error_summary(exc))


@transaction.atomic
def message_retry(*, message_id: int) -> bool:
    """Staff start a failed message again. Returns False when it was not failed (any more)."""
    if not OutboxMessage.objects.filter(
        pk=message_id, sent_at__isnull=True, failed_at__isnull=False
    ).update(failed_at=None, attempts=0):
        return False
    doorbell.ring_on_commit(_send_task, message_id)
    return True


def outbox_pending(*, older_than: timedelta):
    return OutboxMessage.objects.filter(
        sent_at__isnull=True, failed_at__isnull=True, created_at__lt=timezone.now() - older_than
    ).order_by("created_at", "pk")


def outbox_relay() -> int:
    """Ring again for messages still unsent after OUTBOX_RELAY_AFTER_SECONDS (a lost doorbell,
    a dead broker, paused sending). Returns how many were rung."""
    if not settings.OUTBOX_SENDING_ENABLED:
        return 0
    ids = list(
        outbox_pending(
            older_than=timedelta(seconds=settings.OUTBOX_RELAY_AFTER_SECONDS)
        ).values_list("pk", flat=True)[: settings.OUTBOX_RELAY_BATCH]
    )
    task = _send_task()
    for message_id in ids:
        doorbell.ring(task, message_id)
    return len(ids)

""" "Meldung folgen" on the kernel's subscriptions (portal.core.subscriptions): double opt-in
with a signed, expiring link, one e-mail per public change of the report's ticket, one-click
unsubscribe. The e-mails go through the outbox."""

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import ApplicationError
from portal.core.links import absolute_url
from portal.core.subscriptions import services as subscriptions
from portal.core.subscriptions.models import State, Subscription
from portal.core.subscriptions.registry import SubscriptionKind
from portal.tickets.constants import EventKind
from portal.tickets.models import TicketEvent

from .models import Report

KIND = "reports.report"
UPDATE_TEMPLATE = "emails/reports/follow_update"


def report_follow(*, report: Report, email: str = "", user=None) -> Subscription:
    """Start following a published report. The address gets a confirmation link first (double
    opt-in); a signed-in person with a verified address follows at once. Asking again while
    following changes nothing; after unsubscribing it starts over."""
    if not report.is_published:
        raise ApplicationError(_("Diese Meldung ist nicht veröffentlicht."))
    subscription, _started = subscriptions.subscribe(
        kind=KIND, target=report, email=email, user=user
    )
    return subscription


def report_of(subscription: Subscription) -> Report | None:
    return (
        Report.objects.select_related("category", "ticket")
        .filter(pk=subscription.target_id, is_published=True)
        .first()
    )


def report_follow_event_is_news(event: TicketEvent) -> bool:
    """Followers hear of every public change after the report was filed."""
    return event.is_public and event.kind != EventKind.CREATED


def report_follow_recipients(*, event: TicketEvent) -> QuerySet[Subscription]:
    """Who hears of a ticket event: followers who had confirmed by then and are still in."""
    report_ids = Report.objects.filter(ticket_id=event.ticket_id, is_published=True).values("pk")
    return Subscription.objects.filter(
        kind=KIND,
        target_id__in=report_ids,
        state=State.CONFIRMED,
        confirmed_at__lte=event.created_at,
    ).order_by("pk")


@transaction.atomic
def report_follow_owe_update(*, event: TicketEvent) -> int:
    """Owe every confirmed follower an e-mail about the event, once each (the key is the
    subscription and the event, so a second call owes nothing). Returns how many followers."""
    if not report_follow_event_is_news(event):
        return 0
    followers = list(report_follow_recipients(event=event))
    for subscription in followers:
        subscriptions.notice_owe(
            subscription, f"event:{event.pk}", template=UPDATE_TEMPLATE, context={"event": event.pk}
        )
    return len(followers)


# --- what the e-mails say -------------------------------------------------------------------------
def follow_context(subscription: Subscription) -> dict | None:
    report = report_of(subscription)
    if report is None:
        return None  # no longer public: nothing is said about it
    number = report.ticket.number
    return {
        "report": report,
        "number": number,
        "report_url": absolute_url(reverse("reports:detail", args=[number])),
    }


def follow_notice_context(subscription: Subscription, ids: dict) -> dict | None:
    event = (
        TicketEvent.objects.select_related("ticket__category", "ticket__duplicate_of")
        .filter(pk=ids.get("event"))
        .first()
    )
    if event is None or not report_follow_event_is_news(event):
        return None
    return {"event": event, "ticket": event.ticket}


def _describe(subscription: Subscription) -> str:
    report = report_of(subscription)
    return _("Mängelmeldung %(number)s") % {"number": report.ticket.number} if report else ""


def _back_url(subscription: Subscription) -> str | None:
    report = report_of(subscription)
    return reverse("reports:detail", args=[report.ticket.number]) if report else None


def _question(subscription: Subscription) -> str:
    return _(
        "Möchten Sie per E-Mail erfahren, wie es mit dieser Meldung (%(category)s) weitergeht? "
        "Dann bestätigen Sie bitte."
    ) % {"category": report_of(subscription).category.name}


FOLLOW = SubscriptionKind(
    name=KIND,
    confirm_url_name="reports:follow-confirm",
    unsubscribe_url_name="reports:follow-unsubscribe",
    confirm_template="emails/reports/follow_confirm",
    context=follow_context,
    notice_context=follow_notice_context,
    describe=_describe,
    back_url=_back_url,
    back_label=gettext_lazy("Zur Meldung"),
    confirm_heading=gettext_lazy("Meldung folgen"),
    confirm_question=_question,
    confirm_button=gettext_lazy("Ja, ich möchte dieser Meldung folgen"),
    confirmed_message=gettext_lazy(
        "Danke! Sie folgen jetzt dieser Meldung und erhalten bei jeder Neuigkeit eine E-Mail."
    ),
)

from decimal import Decimal

from django.db import transaction

from portal.tickets.constants import Channel
from portal.tickets.models import Category, Ticket
from portal.tickets.services import ticket_open

from .constants import ContactKind
from .models import ContactRequest


@transaction.atomic
def contact_submit(
    *,
    kind: str,
    category: Category,
    message: str,
    email: str = "",
    user=None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    page_url: str = "",
    channel: str = Channel.ONLINE,
    actor=None,
) -> Ticket:
    """Store what the citizen wrote and open its ticket, in one transaction: the concern is
    committed before anything else (broker, mail server) can fail."""
    contact = ContactRequest.objects.create(
        kind=ContactKind(kind), message=message.strip(), page_url=page_url.strip()
    )
    summary = message.strip()
    if page_url.strip():
        summary = f"{summary}\n\n{page_url.strip()}"
    return ticket_open(
        source=contact,
        source_kind=kind,
        category=category,
        summary=summary,
        channel=channel,
        citizen=user,
        contact_email=email,
        latitude=latitude,
        longitude=longitude,
        address=address,
        actor=actor,
    )

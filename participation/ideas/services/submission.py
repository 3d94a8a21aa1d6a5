"""Submitting an idea: its ticket category, its support window, the idea and its ticket."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.contributions.constants import TICKET_CHANNEL
from participation.contributions.models import Idea
from participation.contributions.services import location_check
from participation.projects.constants import ContributionChannel
from participation.projects.models import FieldOfAction, ProjectPage
from portal.core.errors import ApplicationError
from portal.core.images import CleanPhoto
from portal.tickets.constants import CategoryKind
from portal.tickets.models import Category
from portal.tickets.services import ticket_open

from ..constants import SOURCE_KIND, TEXT_MAX, TITLE_MAX, Stage
from ..models import PoolIdea
from ..rules import allowed
from .base import IdeaRefused, _clean, _count, account_refusal

DEFAULT_CATEGORY_SLUG = "ideenpool"


def idea_category() -> Category:
    """The ticket category of pool ideas: the first active idea category, or the default one."""
    category = (
        Category.objects.filter(kind=CategoryKind.IDEA, is_active=True)
        .order_by("sort_order", "name")
        .first()
    )
    if category is None:
        category, _created = Category.objects.get_or_create(
            slug=DEFAULT_CATEGORY_SLUG,
            defaults={"name": "Idee aus dem Ideenpool", "kind": CategoryKind.IDEA, "sla_days": 20},
        )
    return category


def support_window_end(submitted_at):
    """IDEAS_SUPPORT_WEEKS weeks on the city's clock: a window opened at 9:00 closes at 9:00,
    across a change to or from summer time."""
    return timezone.localtime(submitted_at) + timedelta(weeks=settings.IDEAS_SUPPORT_WEEKS)


def _ticket_summary(idea: PoolIdea) -> str:
    return f"{idea.title}\n\n{idea.text}"


# --- submit ---------------------------------------------------------------------------------------
@transaction.atomic
def idea_submit(
    *,
    actor,
    title: str,
    text: str,
    field_of_action: FieldOfAction | None,
    district=None,
    address: str = "",
    latitude=None,
    longitude=None,
    photo: CleanPhoto | None = None,
    improves: ProjectPage | None = None,
    channel: str = ContributionChannel.ONLINE,
    offline_name: str = "",
) -> PoolIdea:
    """A citizen's idea (online), or one MitMachBüro staff enter for someone (offline channel).

    The idea and its ticket commit together; routing to the department follows in the worker."""
    offline = channel != ContributionChannel.ONLINE
    if offline:
        if not allowed("ideas.enter_offline", actor):
            raise IdeaRefused(_("Nur das MitMachBüro kann Ideen für andere erfassen."))
    else:
        refusal = account_refusal(actor)
        if refusal:
            raise IdeaRefused(refusal)
    title = _clean(
        title, message=_("Bitte geben Sie Ihrer Idee einen Titel."), field="title", limit=TITLE_MAX
    )
    text = _clean(text, message=_("Bitte beschreiben Sie Ihre Idee."), field="text", limit=TEXT_MAX)
    if field_of_action is None:
        raise ApplicationError(_("Bitte wählen Sie ein Handlungsfeld."), field="field_of_action")
    located = location_check(latitude=latitude, longitude=longitude)
    now = timezone.now()
    # the shared input; its discussion target is the pool idea, known once that is saved
    shared = Idea.objects.create(
        target_type=ContentType.objects.get_for_model(PoolIdea),
        target_id=0,
        title=title,
        text=text,
        district=located or district,
        address=(address or "").strip()[:200],
        latitude=latitude,
        longitude=longitude,
        author=None if offline else actor,
        channel=channel,
        offline_name=(offline_name or "").strip()[:150] if offline else "",
        entered_by=actor if offline else None,
        created_at=now,
    )
    idea = PoolIdea(
        input=shared,
        field_of_action=field_of_action,
        improves=improves,
        submitted_at=now,
        support_ends_at=support_window_end(now),
    )
    if photo is not None:
        idea.photo.save(photo.as_content_file().name, photo.as_content_file(), save=False)
    idea.save()
    shared.target_id = idea.pk
    shared.save(update_fields=["target_id"])
    shared.ticket = ticket_open(
        source=idea,
        source_kind=SOURCE_KIND,
        category=idea_category(),
        summary=_ticket_summary(idea),
        channel=TICKET_CHANNEL.get(channel, "online"),
        citizen=idea.author,
        latitude=idea.latitude,
        longitude=idea.longitude,
        address=idea.address,
        district=idea.district,
        actor=actor if offline else None,
        # the first line of the idea's timeline (its ticket's), in the Ideenpool's words
        public_status=Stage.SUBMITTED,
        public_message=_("Die Idee ist im Ideenpool eingegangen."),
    )
    shared.save(update_fields=["ticket"])
    _count(submitted=1)
    return idea

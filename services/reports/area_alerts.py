"""Benachrichtigungen für ein Gebiet: new published reports in a district, or within a radius of
an address, by e-mail, one per report or one digest a day. On the kernel's subscriptions (double
opt-in, signed links, one-click unsubscribe, the outbox); the kind is "reports.area".

A district alert is a subscription with the district as its target (one per district and
address); a place alert has no target and keeps its point in the scope (one per address: asking
again with another place before confirming replaces it). The scope also holds the frequency.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import ApplicationError
from portal.core.links import absolute_url
from portal.core.subscriptions import services as subscriptions
from portal.core.subscriptions.models import State, Subscription
from portal.core.subscriptions.registry import SubscriptionKind
from portal.departments.models import District

from .geocoder import address_lookup
from .models import Report
from .selectors import distance_m

KIND = "reports.area"
EACH = "einzeln"
DAILY = "taeglich"
FREQUENCIES = (EACH, DAILY)
RADII = (100, 250, 500, 1000, 2000)
NEW_TEMPLATE = "emails/reports/area_new"
DIGEST_TEMPLATE = "emails/reports/area_digest"
DIGEST_MAX = 200  # reports listed in one digest; the rest are counted


def area_subscribe(
    *,
    email: str = "",
    user=None,
    frequency: str,
    district: District | None = None,
    address: str = "",
    radius_m: int = 500,
) -> Subscription:
    """Ask for alerts about a district, or about a radius around an address."""
    if frequency not in FREQUENCIES:
        raise ApplicationError(_("Bitte wählen Sie, wie oft Sie E-Mails erhalten möchten."))
    if district is not None:
        scope = {"frequency": frequency}
        target = district
    else:
        if radius_m not in RADII:
            raise ApplicationError(_("Bitte wählen Sie einen der Umkreise."), field="radius")
        place = address_lookup(address) if address.strip() else None
        if place is None:
            raise ApplicationError(
                _("Diese Adresse kennen wir nicht. Bitte prüfen Sie Straße und Hausnummer."),
                field="address",
            )
        scope = {
            "frequency": frequency,
            "lat": float(place.latitude),
            "lon": float(place.longitude),
            "radius_m": radius_m,
            "label": place.label,
        }
        target = None
    with transaction.atomic():
        subscription, _started = subscriptions.subscribe(
            kind=KIND, target=target, email=email, user=user, scope=scope
        )
    return subscription


# --- who hears of a report ------------------------------------------------------------------------
def _district_ids(report: Report) -> list[int]:
    """The report's district and the Stadtbezirk it belongs to."""
    district = report.ticket.district if report.ticket_id else None
    if district is None:
        return []
    return [district.pk] + ([district.parent_id] if district.parent_id else [])


def _matches(subscription: Subscription, report: Report, district_ids: list[int]) -> bool:
    if subscription.target_id is not None:
        return subscription.target_id in district_ids
    scope = subscription.scope
    if not {"lat", "lon", "radius_m"} <= set(scope):
        return False
    distance = distance_m(
        scope["lat"], scope["lon"], float(report.latitude), float(report.longitude)
    )
    return distance <= scope["radius_m"]


def _confirmed(frequency: str):
    return Subscription.objects.filter(
        kind=KIND, state=State.CONFIRMED, scope__frequency=frequency
    ).select_related("user")


def _recipients(report: Report, frequency: str) -> list[Subscription]:
    district_ids = _district_ids(report)
    candidates = _confirmed(frequency).filter(
        Q(target_id__in=district_ids) | Q(target_id__isnull=True)
    )
    return [s for s in candidates if _matches(s, report, district_ids)]


def report_alerts_owe(report: Report) -> int:
    """A report was published: owe its e-mail to everyone who wants one per report for its
    area (once each; call it in the transaction that published it)."""
    if not report.is_published or report.ticket_id is None:
        return 0
    owed = 0
    for subscription in _recipients(report, EACH):
        owed += subscriptions.notice_owe(
            subscription,
            f"report:{report.pk}",
            template=NEW_TEMPLATE,
            context={"report": report.pk},
        )
    return owed


def area_digests_owe(day: datetime.date | None = None) -> int:
    """The digest of `day` (default: yesterday) for everyone who wants one a day: the reports
    published that day in their area, if any (once each)."""
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    reports = list(
        Report.objects.filter(
            is_published=True, published_at__gte=start, published_at__lt=end, ticket__isnull=False
        )
        .select_related("ticket__district")
        .order_by("published_at", "pk")
    )
    if not reports:
        return 0
    districts = {report.pk: _district_ids(report) for report in reports}
    owed = 0
    for subscription in _confirmed(DAILY).iterator(chunk_size=500):
        found = [r.pk for r in reports if _matches(subscription, r, districts[r.pk])]
        if found:
            with transaction.atomic():
                owed += subscriptions.notices_owe(
                    [subscription],
                    f"digest:{day.isoformat()}",
                    template=DIGEST_TEMPLATE,
                    context={"reports": found, "day": day.isoformat()},
                )
    return owed


# --- what the e-mails and pages say ---------------------------------------------------------------
def area_label(subscription: Subscription) -> str:
    if subscription.target_id is not None:
        district = District.objects.filter(pk=subscription.target_id).first()
        return _("Stadtteil %(name)s") % {"name": district.name} if district else ""
    scope = subscription.scope
    return _("Umkreis von %(radius)s m um %(place)s") % {
        "radius": scope.get("radius_m"),
        "place": scope.get("label", ""),
    }


def alert_context(subscription: Subscription) -> dict | None:
    label = area_label(subscription)
    if not label:
        return None  # the district is gone
    return {
        "area": label,
        "daily": subscription.scope.get("frequency") == DAILY,
        "alerts_url": absolute_url(reverse("reports:alerts")),
    }


def _report_lines(pks: list[int]) -> list[dict]:
    found = (
        Report.objects.filter(pk__in=pks[:DIGEST_MAX], is_published=True)
        .select_related("category", "ticket")
        .order_by("published_at", "pk")
    )
    return [
        {
            "number": report.ticket.number,
            "category": report.category.name,
            "address": report.address,
            "url": absolute_url(reverse("reports:detail", args=[report.ticket.number])),
        }
        for report in found
    ]


def alert_notice_context(subscription: Subscription, ids: dict) -> dict | None:
    pks = ids.get("reports") or ([ids["report"]] if ids.get("report") else [])
    lines = _report_lines(pks)
    if not lines:
        return None  # unpublished since: nothing to say
    day = ids.get("day")
    return {
        "reports": lines,
        "more": max(0, len(pks) - DIGEST_MAX),
        "day": datetime.date.fromisoformat(day) if day else None,
    }


def _describe(subscription: Subscription) -> str:
    return _("Neue Mängelmeldungen: %(area)s") % {"area": area_label(subscription)}


AREA_ALERTS = SubscriptionKind(
    name=KIND,
    confirm_url_name="reports:alerts-confirm",
    unsubscribe_url_name="reports:alerts-unsubscribe",
    confirm_template="emails/reports/area_confirm",
    context=alert_context,
    notice_context=alert_notice_context,
    describe=_describe,
    back_url=lambda subscription: reverse("reports:list"),
    back_label=gettext_lazy("Zu den Mängelmeldungen"),
    confirm_heading=gettext_lazy("Benachrichtigungen bestätigen"),
    confirm_question=lambda subscription: (
        _(
            "Möchten Sie per E-Mail erfahren, wenn es neue Mängelmeldungen gibt (%(area)s)? Dann "
            "bestätigen Sie bitte."
        )
        % {"area": area_label(subscription)}
    ),
    confirm_button=gettext_lazy("Ja, Benachrichtigungen erhalten"),
    confirmed_message=gettext_lazy(
        "Danke! Sie erhalten jetzt E-Mails über neue Mängelmeldungen in Ihrem Gebiet."
    ),
)

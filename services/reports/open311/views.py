"""Open311 GeoReport v2 endpoints (http://wiki.open311.org/GeoReport_v2), see README.md.

Thin edges: parse and check the parameters, call `report_submit` or a selector, render. An empty
parameter counts as an absent one everywhere. Every refusal carries the spec's error body in the
requested format: 404 for a missing resource, 403 for the api_key, 400 for everything else (and,
outside the spec's three, 405 for a wrong method and 429 when a client exceeds its rate limit).
"""

import datetime
import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.core.errors import ApplicationError
from portal.core.images import PhotoRejected, clean_photo
from portal.core.links import absolute_url
from portal.core.pagecache import public_data
from portal.tickets.constants import CLOSED_STATUSES, OPEN_STATUSES, Channel, TicketStatus
from portal.tickets.models import Category

from ..attributes import AttributeAnswerErrors, report_attributes_clean
from ..models import ApiClient, Report
from ..selectors import (
    category_attribute_list,
    open311_request_list,
    open311_service_list,
    open311_update_list,
)
from ..services import MAX_PHOTOS, report_submit, report_submit_from_device
from .formats import FORMATS, JSON, XML, Many, render, render_errors
from .params import (
    Open311Error,
    attribute_params,
    bool_param,
    datetime_param,
    int_param,
    list_param,
    location,
    param,
    updates_window,
    window,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# the date this API last changed in a way a client may notice; sortable, as the spec asks
# servicerequestupdates, updated_after/updated_before, extended_attributes with extensions=true
CHANGESET = "2026-12-07T10:15:00+01:00"
SERVICE_GROUP = "Mängelmelder"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000
NAME_MAX = 120
STATUS_VALUES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}
MEDIA_FIELDS = ("media", "media[]")
# servicerequestupdates: the most updates an answer holds (more only to finish a moment)
MAX_UPDATES = 1000
# Klarschiff's `detailed_status` (extensions=true) of our statuses; a status added later is
# IN_PROCESS while open and PROCESSED once closed (`detailed_status`)
DETAILED_STATUS = {
    TicketStatus.RECEIVED: "RECEIVED",
    TicketStatus.IN_REVIEW: "IN_PROCESS",
    TicketStatus.IN_PROGRESS: "IN_PROCESS",
    TicketStatus.DONE: "PROCESSED",
    TicketStatus.NOT_FEASIBLE: "REJECTED",
    TicketStatus.DUPLICATE: "DUPLICATE",
    TicketStatus.FORWARDED: "FORWARDED",
}


def open311_endpoint(*methods: str):
    """Check the format suffix and the method, and turn refusals into the spec's error body."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorator(view):
        @csrf_exempt  # API clients authenticate with api_key, not with a session
        @functools.wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            if fmt not in FORMATS:
                return render_errors(
                    XML,
                    404,
                    _("Unbekanntes Format „%(fmt)s“: bitte .xml oder .json.") % {"fmt": fmt},
                )
            if request.method not in allowed:
                response = render_errors(fmt, 405, _("Diese Methode ist hier nicht erlaubt."))
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                response = render_errors(fmt, error.status, error.description)
                for header, value in error.headers.items():
                    response[header] = value
                return response
            except ApplicationError as error:
                return render_errors(fmt, 400, error.message)
            except (RequestDataTooBig, TooManyFieldsSent):
                return render_errors(fmt, 400, _("Die Anfrage ist zu groß."))

        return wrapper

    return decorator


def _check_rate(client: ApiClient) -> None:
    """A fixed one-minute window per client in the cache. Fails open while the cache is down."""
    limit = getattr(settings, "OPEN311_RATE_LIMIT_PER_MINUTE", 120)
    minute = int(time.time() // 60)
    key = f"open311:post:{client.pk}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        return
    if count > limit:
        raise Open311Error(
            429,
            _("Zu viele Meldungen von diesem Zugang (höchstens %(n)s pro Minute).") % {"n": limit},
            headers={"Retry-After": str(60 - int(time.time()) % 60)},
        )


# --- output --------------------------------------------------------------------------------------
def _w3c(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _w3c_exact(value: datetime.datetime) -> str:
    """With microseconds: a client sends an update's time back as the next start_date."""
    return timezone.localtime(value).isoformat(timespec="microseconds")


def detailed_status(status: str) -> str:
    if status in DETAILED_STATUS:
        return DETAILED_STATUS[status]
    return "IN_PROCESS" if status in OPEN_STATUSES else "PROCESSED"


def _extended_attributes(status: str, extensions: bool) -> dict | None:
    """Only for clients that ask (extensions=true, as Klarschiff's and Mark-a-Spot's do): a strict
    GeoReport v2 schema knows no `extended_attributes`."""
    return {"detailed_status": detailed_status(status)} if extensions else None


def _end_of_day(day: datetime.date) -> str:
    end = datetime.datetime.combine(
        day, datetime.time(23, 59, 59), tzinfo=timezone.get_default_timezone()
    )
    return end.isoformat(timespec="seconds")


def _service(category) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(category.has_attributes),  # then the definition lists Zusatzfragen
        "type": "realtime",
        "keywords": "",
        "group": SERVICE_GROUP,
    }


def _service_notice(ticket) -> str:
    label = str(ticket.public_status_label)
    if ticket.status in OPEN_STATUSES and ticket.due_date:
        return _("%(status)s; Bearbeitungsziel: %(date)s") % {
            "status": label,
            "date": f"{ticket.due_date:%d.%m.%Y}",
        }
    return label


def _request_object(report: Report, *, extensions: bool = False) -> dict:
    """One service request. The reporter's name, e-mail address and phone are never part of it."""
    ticket = report.ticket
    closed = ticket.status in CLOSED_STATUSES
    updated = ticket.closed_at if closed and ticket.closed_at else ticket.updated_at
    photo = report.open311_photo
    return {
        "service_request_id": ticket.number,
        "status": "closed" if closed else "open",
        "status_notes": report.open311_status_notes or None,
        "service_name": report.category.name,
        "service_code": report.category.slug,
        "description": report.public_text,
        "agency_responsible": ticket.department.name if ticket.department_id else None,
        "service_notice": _service_notice(ticket),
        "requested_datetime": _w3c(report.created_at),
        "updated_datetime": _w3c(updated),
        "expected_datetime": _end_of_day(ticket.due_date) if ticket.due_date else None,
        "address": report.address or None,
        "lat": float(report.latitude),
        "long": float(report.longitude),
        "media_url": absolute_url(default_storage.url(photo)) if photo else None,
        "extended_attributes": _extended_attributes(ticket.status, extensions),
    }


def _update_object(event, *, extensions: bool) -> dict:
    """One public change of a request (FixMyStreet's `request_update`): the event's public text,
    else the status it set; never its internal note or who made it."""
    status = event.open311_status
    label = TicketStatus._value2member_map_.get(status)
    return {
        "update_id": str(event.pk),
        "service_request_id": event.ticket.number,
        "status": "closed" if status in CLOSED_STATUSES else "open",
        "updated_datetime": _w3c_exact(event.created_at),
        "description": event.public_message or (str(label.label) if label else status),
        "external_status_code": status,
        "extended_attributes": _extended_attributes(status, extensions),
    }


# --- endpoints -----------------------------------------------------------------------------------
@open311_endpoint("GET")
def discovery(request, fmt: str):
    url = absolute_url(reverse("open311:home"))
    contact = getattr(
        settings,
        "OPEN311_CONTACT",
        _("Stadtverwaltung %(city)s, %(url)s")
        % {"city": settings.PORTAL_CITY_NAME, "url": absolute_url("/")},
    )
    endpoint = {
        "specification": SPECIFICATION,
        "url": url,
        "changeset": CHANGESET,
        "type": "production",
        "formats": Many("format", ["text/xml", "application/json"]),
    }
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": _(
                "Einen API-Schlüssel (api_key) für Meldungen vergibt die Stadtverwaltung auf "
                "Anfrage je App. Lesen ist ohne Schlüssel möglich. Erweiterungen: GET requests "
                "liefert Seiten mit page (ab 1) und page_size (Vorgabe %(size)s, höchstens "
                "%(max)s), neueste zuerst, und eine ETag, die If-None-Match mit 304 beantwortet; "
                "updated_after und updated_before wählen nach der letzten Änderung aus. "
                "GET servicerequestupdates liefert die öffentlichen Änderungen nach start_date "
                "(ausschließlich), älteste zuerst, höchstens %(updates)s je Antwort. "
                "extensions=true ergänzt extended_attributes mit detailed_status. "
                "media_url wird nicht übernommen."
            )
            % {
                "size": DEFAULT_PAGE_SIZE,
                "max": _thousands(MAX_PAGE_SIZE),
                "updates": _thousands(MAX_UPDATES),
            },
            "endpoints": Many("endpoint", [endpoint]),
        },
    )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@csrf_exempt
def home(request):
    """The endpoint's own URL, as discovery names it, answers with the discovery document."""
    return discovery(request, fmt=XML)


@open311_endpoint("GET")
def service_list(request, fmt: str):
    services = [_service(category) for category in open311_service_list()]
    return render(fmt, "services", Many("service", services))


@open311_endpoint("GET")
def service_definition(request, fmt: str, service_code: str):
    category = open311_service_list().filter(slug=service_code).first()
    if category is None:
        raise Open311Error(404, _("Unbekannter service_code."))
    attributes = category_attribute_list(category=category)
    return render(
        fmt,
        "service_definition",
        {
            "service_code": category.slug,
            "attributes": Many(
                "attribute",
                [_attribute(attribute, order) for order, attribute in enumerate(attributes, 1)],
            ),
        },
    )


def _attribute(attribute, order: int) -> dict:
    """One attribute of a service definition. `order` is the position in the editors' list,
    so it is unique and starts at 1, as the spec asks."""
    return {
        "variable": True,  # every Zusatzfrage asks for an answer
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": order,
        "description": attribute.description,
        "values": Many("value", [{"key": v["key"], "name": v["name"]} for v in attribute.values])
        if attribute.is_list
        else None,
    }


@open311_endpoint("GET", "POST")
def request_list(request, fmt: str):
    if request.method == "POST":
        return _request_create(request, fmt)
    return _request_list(request, fmt)


def _request_create(request, fmt: str):
    data = request.POST
    # the spec sends api_key in the form; some clients put it in the query string
    client = ApiClient.for_key(param(data, "api_key") or param(request.GET, "api_key") or "")
    if client is None:
        raise Open311Error(403, _("api_key fehlt, ist ungültig oder gesperrt."))
    _check_rate(client)
    service_code = param(data, "service_code")
    if service_code is None:
        raise Open311Error(400, _("service_code fehlt."))
    category = open311_service_list().filter(slug=service_code).first()
    if category is None:
        raise Open311Error(404, _("Unbekannter service_code."))
    latitude, longitude, address = location(data)
    description = param(data, "description") or ""
    if not description and client.is_machine:
        description = _("Automatische Meldung: %(service)s") % {"service": category.name}
    name = " ".join(filter(None, [param(data, "first_name"), param(data, "last_name")]))
    if len(name) > NAME_MAX:
        raise Open311Error(
            400, _("Der Name ist zu lang (höchstens %(n)s Zeichen).") % {"n": NAME_MAX}
        )
    email = param(data, "email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, _("Die E-Mail-Adresse ist ungültig.")) from None
    answers = attribute_params(data)
    try:  # every wrong answer at once, each as an error of its own
        report_attributes_clean(
            attributes=category_attribute_list(category=category), answers=answers
        )
    except AttributeAnswerErrors as error:
        return render_errors(
            fmt,
            400,
            *(f"attribute[{code}]: {message}" for code, message in error.errors.items()),
        )
    photos = _media_photos(request)
    # phone, device_id, account_id and media_url are not stored (data minimisation; no fetching
    # of foreign URLs); the reporter's name and e-mail stay on the report and are never published
    submit = report_submit_from_device if client.is_machine else report_submit
    report = submit(
        category=category,
        description=description,
        latitude=latitude,
        longitude=longitude,
        address=address,
        name=name,
        email=email,
        channel=Channel.API,
        api_client=client,
        photos=photos,
        attributes=answers,
    )
    ticket = report.ticket
    notice = _(
        "Vielen Dank! Ihre Meldung hat die Vorgangsnummer %(number)s. Wir bearbeiten sie "
        "voraussichtlich bis zum %(date)s."
    ) % {"number": ticket.number, "date": f"{ticket.due_date:%d.%m.%Y}"}
    if not report.is_published:
        notice += " " + _("Sie wird nach einer Prüfung veröffentlicht.")
    created = {"service_request_id": ticket.number, "service_notice": notice}
    return render(fmt, "service_requests", Many("request", [created]))


def _media_photos(request) -> list:
    """Extension in the style of GeoReport v2.1: up to three files in a multipart/form-data POST,
    as `media` or `media[]` (the draft's name; clients send either), cleaned like every upload
    (type by content, size and pixel limits, no metadata kept)."""
    files = [upload for name in MEDIA_FIELDS for upload in request.FILES.getlist(name)]
    if len(files) > MAX_PHOTOS:
        raise Open311Error(400, _("Höchstens %(n)s Fotos pro Meldung (media).") % {"n": MAX_PHOTOS})
    photos = []
    for upload in files:
        try:
            photos.append((clean_photo(upload), ""))
        except PhotoRejected as exc:
            raise Open311Error(400, str(exc.messages[0])) from None
    return photos


def _request_list(request, fmt: str):
    """A page of requests; the same for every client, so kept until anything public changes
    (portal.core.pagecache.public_data) with its ETag."""
    etag, content, content_type = public_data(
        request, f"open311:requests.{fmt}", lambda: _request_page(request, fmt)
    )
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:  # the client has this page already
        not_modified["ETag"] = etag
        return not_modified
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    return response


def _request_page(request, fmt: str) -> tuple[str, bytes, str]:
    data = request.GET
    extensions = bool_param(data, "extensions")
    reports = open311_request_list()
    numbers = list_param(data, "service_request_id")
    if numbers:  # overrides every other filter, as the spec says
        reports = reports.filter(ticket__number__in=numbers)
    else:
        reports = _date_filtered(reports, data)
        codes = list_param(data, "service_code")
        if codes:
            # the categories' ids, not a join on their slugs: so the database can walk the
            # (category, is_published, created_at) index instead of the whole window
            categories = list(Category.objects.filter(slug__in=codes).values_list("pk", flat=True))
            reports = reports.filter(category_id__in=categories)
        statuses = set(list_param(data, "status"))
        if statuses - STATUS_VALUES.keys():
            raise Open311Error(400, _("status kennt nur die Werte open und closed."))
        if len(statuses) == 1:
            reports = reports.filter(ticket__status__in=STATUS_VALUES[statuses.pop()])
    page = int_param(data, "page", default=1, maximum=MAX_PAGE)
    page_size = int_param(data, "page_size", default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    offset = (page - 1) * page_size
    versions = list(reports[offset : offset + page_size].values_list(*PAGE_VERSION_FIELDS))
    etag = _page_etag(fmt, versions, extensions)
    pks = [version[0] for version in versions]
    page_reports = open311_request_list().filter(pk__in=pks) if pks else []
    rows = [_request_object(report, extensions=extensions) for report in page_reports]
    response = render(fmt, "service_requests", Many("request", rows))
    return etag, response.content, response["Content-Type"]


def _date_filtered(reports, data):
    """The creation window (start_date/end_date, `window`), and Klarschiff's updated_after and
    updated_before (both inclusive) on the ticket's last change. With either of these the
    default window of 90 days does not apply: a request created long ago and changed now is
    found; start_date and end_date, when given, still do."""
    updated_after = datetime_param(data, "updated_after")
    updated_before = datetime_param(data, "updated_before")
    if updated_after is None and updated_before is None:
        start, end = window(data)
        return reports.filter(created_at__gte=start, created_at__lte=end)
    if updated_after and updated_before and updated_before < updated_after:
        raise Open311Error(400, _("updated_before liegt vor updated_after."))
    if param(data, "start_date") or param(data, "end_date"):
        start, end = window(data)
        reports = reports.filter(created_at__gte=start, created_at__lte=end)
    if updated_after is not None:
        reports = reports.filter(ticket__updated_at__gte=updated_after)
    if updated_before is not None:
        reports = reports.filter(ticket__updated_at__lte=updated_before)
    return reports


# What a page of `GET requests` shows can only change with one of these: a report published,
# unpublished or re-published (the page's reports), its edited text, its ticket saved (status,
# due date, department, closing; `updated_at` is `auto_now`), a renamed category or department,
# or another first visible photo. The page's ETag is their digest, read in one narrow query.
PAGE_VERSION_FIELDS = (
    "pk",
    "published_at",
    "public_description",
    "ticket__updated_at",
    "ticket__department__name",
    "category__slug",
    "category__name",
    "open311_photo",
)


def _page_etag(fmt: str, versions: list[tuple], extensions: bool) -> str:
    """The page's weak ETag. There is no Last-Modified from the rows: a request that left the
    page (unpublished) leaves no date behind, so If-Modified-Since could not see it. The same
    rows with extended_attributes are another document."""
    digest = hashlib.sha256(repr((CHANGESET, fmt, extensions, versions)).encode()).hexdigest()[:32]
    return f'W/"{digest}"'


@open311_endpoint("GET")
def request_detail(request, fmt: str, service_request_id: str):
    extensions = bool_param(request.GET, "extensions")
    report = open311_request_list().filter(ticket__number=service_request_id).first()
    if report is None:
        raise Open311Error(404, _("Unbekannte service_request_id."))
    row = _request_object(report, extensions=extensions)
    return render(fmt, "service_requests", Many("request", [row]))


@open311_endpoint("GET")
def update_list(request, fmt: str):
    """FixMyStreet's `servicerequestupdates`: the public changes of published requests after
    start_date (exclusive) up to end_date, oldest first, for a client that keeps its copy in step
    (README.md, "Abgleich"). jurisdiction_id and api_key are ignored: reading needs no key.

    A change's time is set before its transaction commits, so a change with an earlier time can
    commit after one with a later time. An answer therefore ends `OPEN311_UPDATES_SETTLE_SECONDS`
    before now: what is older has committed, and a client that continues after the last time it
    received gets every change exactly once, in order."""
    data = request.GET
    start, end = updates_window(data)
    numbers = list_param(data, "service_request_id")
    extensions = bool_param(data, "extensions")
    settle = datetime.timedelta(seconds=getattr(settings, "OPEN311_UPDATES_SETTLE_SECONDS", 10))
    until = min(end, timezone.now() - settle)
    updates = (
        open311_update_list(after=start, until=until, limit=MAX_UPDATES, numbers=numbers)
        if until > start
        else []
    )
    rows = [_update_object(event, extensions=extensions) for event in updates]
    response = render(fmt, "service_request_updates", Many("request_update", rows))
    # the same address answers more as time passes: neither the page cache nor a proxy keeps it
    patch_cache_control(response, no_cache=True)
    return response


@csrf_exempt
def not_found(request, path: str = ""):
    fmt = JSON if path.endswith(".json") else XML
    return render_errors(fmt, 404, _("Diesen Endpunkt gibt es nicht."))

"""Redis stalled or stopped: every citizen submit still answers in time with its receipt, and
every concern is routed exactly once when Redis is back (the database is the truth).

The real parts: a Redis of the test's own as cache and broker, with production's timeouts and
publish retry policy, and a real Celery worker. Requests go through the test client.
"""

import datetime
import html
import io
import re
import time
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image
from wagtail.models import Site

from portal.accounts.models import TrustLevel
from portal.celery import app as celery_app
from portal.core import breaker
from portal.settings import base
from portal.tickets.constants import CategoryKind, EventKind, RoutingState
from portal.tickets.models import Ticket
from tests.factories import CategoryFactory, DepartmentFactory, DistrictFactory, UserFactory, square
from tests.participation.factories import field_of_action
from tests.waiting import wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# what a citizen may wait for an answer, whatever Redis does (issue 13)
BUDGET_SECONDS = 5.0


class TimedClient(Client):
    """A test client that remembers how long each request took. Each request is served as the
    first of its web process to meet the broken Redis (the worst case: a fresh process, or the
    first request after the breaker's pause), not helped by what earlier requests learnt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.durations: list[tuple[str, str, float]] = []

    def request(self, **request):
        breaker.reset()
        started = time.monotonic()
        try:
            return super().request(**request)
        finally:
            elapsed = time.monotonic() - started
            self.durations.append((request["REQUEST_METHOD"], request["PATH_INFO"], elapsed))

    def slow_requests(self) -> list:
        return [entry for entry in self.durations if entry[2] > BUDGET_SECONDS]


def form_token(response) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', response.content.decode()).group(1)


def hidden_inputs(response) -> dict:
    pairs = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()
    )
    return {name: html.unescape(value) for name, value in pairs}


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (160, 120), (200, 120, 40)).save(out, "JPEG")
    return SimpleUploadedFile("laterne.jpg", out.getvalue(), content_type="image/jpeg")


def receipt_number(client, response) -> str:
    """The receipt page the submit led to, and the number it shows."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/anliegen/eingegangen/"), response["Location"]
    page = client.get(response["Location"]).content.decode()
    number = re.search(r"\b\d{4}-\d{6}\b", page)
    assert number, page[:2000]
    return number.group(0)


# --- the city -------------------------------------------------------------------------------
@dataclass
class City:
    report_category: object
    contact_category: object
    citizen: object
    field: object


@pytest.fixture
def city():
    from participation.ideas.services import idea_category
    from services.catalogue.models import ServiceIndexPage, ServicePage

    DistrictFactory(name="Schwerte-Mitte", area=square(7.48, 51.39, 0.2))
    department = DepartmentFactory(name="Tiefbauamt")
    ideas = idea_category()
    ideas.default_department = department
    ideas.save()
    library = DepartmentFactory(name="Stadtbücherei")
    root = Site.objects.get(is_default_site=True).root_page
    index = root.add_child(instance=ServiceIndexPage(title="Dienstleistungen", slug="dl"))
    index.add_child(
        instance=ServicePage(
            title="Büchereiausweis",
            slug="buechereiausweis",
            teaser="Ein Ausweis der Stadtbücherei.",
            department=library,
            is_online=True,
            has_fee=True,
            has_epayment=True,
            form_key="buechereiausweis",
            category=CategoryFactory(kind=CategoryKind.APPLICATION, default_department=library),
        )
    )
    return City(
        report_category=CategoryFactory(name="Straßenbeleuchtung", default_department=department),
        contact_category=CategoryFactory(name="Allgemeine Anfrage", default_department=department),
        citizen=UserFactory(email="erika@example.org", trust_level=TrustLevel.EMAIL_CONFIRMED),
        field=field_of_action("ZM 03", "Gesundheit"),
    )


@pytest.fixture
def production_redis(own_redis, start_celery_worker):
    """Cache and broker on the test's own Redis with production's timeouts and publish retry
    policy (the test settings' are shorter), and a real worker routing what arrives."""
    worker = start_celery_worker(own_redis)
    conf = celery_app.conf
    previous = (
        conf.broker_transport_options,
        conf.broker_connection_timeout,
        conf.task_publish_retry_policy,
    )
    conf.broker_transport_options = dict(base.CELERY_BROKER_TRANSPORT_OPTIONS)
    conf.broker_connection_timeout = base.CELERY_BROKER_CONNECTION_TIMEOUT
    conf.task_publish_retry_policy = dict(base.CELERY_TASK_PUBLISH_RETRY_POLICY)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    caches = {"default": {**base.CACHES["default"], "LOCATION": own_redis.cache_url}}
    try:
        with override_settings(CACHES=caches):
            yield worker
    finally:
        (
            conf.broker_transport_options,
            conf.broker_connection_timeout,
            conf.task_publish_retry_policy,
        ) = previous
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


# --- the citizen's submits ----------------------------------------------------------------------
def send_contact(client, city, form) -> str:
    response = client.post(
        "/anliegen/neu/",
        {
            "form_token": form_token(form),
            "category": city.contact_category.pk,
            "message": "Die Schaukel auf dem Spielplatz am Freischütz hat eine gerissene Kette.",
            "address": "",
            "email": "eltern@example.org",
        },
    )
    return receipt_number(client, response)


def send_report_with_photo(client, city, form) -> str:
    review = client.post(
        "/maengel/melden/",
        {
            "form_token": form_token(form),
            "category": city.report_category.pk,
            "address": "Hagener Str. 12",
            "description": "Die Laterne vor Hausnummer 12 ist seit Tagen dunkel.",
            "email": "erika.meldet@example.org",
            "photo_1": jpeg(),
            "alt_1": "Dunkle Laterne",
        },
    )
    assert "Angaben prüfen" in review.content.decode(), review.content.decode()[:3000]
    response = client.post("/maengel/melden/", {**hidden_inputs(review), "schritt": "absenden"})
    return receipt_number(client, response)


def start_application(client) -> str:
    """Start a library card application and fill in its step; its address."""
    response = client.post("/antraege/buechereiausweis/")
    assert response.status_code == 302, response.content.decode()[:2000]
    step = client.post(
        response["Location"],
        {
            "kind": "neu",
            "birth_date": "1980-04-01",
            "holder_name": "Erika Muster",
            "branch": "mitte",
            "action": "weiter",
        },
    )
    assert step.status_code == 302, step.content.decode()[:3000]
    return step["Location"].rsplit("pruefen/", 1)[0]


def send_application(client, address: str) -> None:
    """Send it, pay on the demo provider's page, come back: the confirmation page."""
    review = client.post(f"{address}pruefen/", {"consent": "on"})
    assert review.status_code == 302, review.content.decode()[:3000]
    assert review["Location"].startswith("/bezahlen/demo/"), review["Location"]
    assert client.get(review["Location"]).status_code == 200
    paid = client.post(review["Location"], {"action": "pay"})
    assert paid.status_code == 302
    back = client.get(paid["Location"])
    assert back.status_code == 302
    page = client.get(back["Location"]).content.decode()
    assert "Vielen Dank! Ihr Antrag ist eingegangen." in page, page[:3000]


def send_idea(client, city, form) -> None:
    response = client.post(
        "/ideenpool/neu/",
        {
            "form_token": form_token(form),
            "title": "Trinkbrunnen auf dem Marktplatz",
            "text": "Im Sommer wäre frisches Wasser für alle gut.",
            "field_of_action": city.field.pk,
            "district": "",
            "address": "Marktplatz",
            "improves": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert client.get(response["Location"]).status_code == 200


# --- the test ------------------------------------------------------------------------------------
def test_stalled_or_stopped_redis_answers_in_time_and_everything_is_routed_once(
    city, own_redis, production_redis, time_machine
):
    anonymous = TimedClient()
    citizen = TimedClient()
    citizen.force_login(city.citizen)

    # Redis stalls (it takes connections but answers nothing) after the forms were opened
    forms = {
        "contact": anonymous.get("/anliegen/neu/"),
        "report": anonymous.get("/maengel/melden/"),
        "idea": citizen.get("/ideenpool/neu/"),
    }
    application = start_application(citizen)
    # Redis 7.0 holds back even CLIENT UNPAUSE during a pause of ALL: stopping Redis ends it
    own_redis.client().execute_command("CLIENT", "PAUSE", "120000", "ALL")
    try:
        receipts = [
            send_contact(anonymous, city, forms["contact"]),
            send_report_with_photo(anonymous, city, forms["report"]),
        ]
        send_application(citizen, application)
        send_idea(citizen, city, forms["idea"])
    finally:
        own_redis.stop()
    assert not anonymous.slow_requests() + citizen.slow_requests(), (
        anonymous.durations + citizen.durations
    )

    # Redis is stopped: a report with a photo and a paid application still get their receipt
    receipts.append(send_report_with_photo(anonymous, city, anonymous.get("/maengel/melden/")))
    send_application(citizen, start_application(citizen))
    assert not anonymous.slow_requests() + citizen.slow_requests(), (
        anonymous.durations + citizen.durations
    )

    tickets = Ticket.objects.all()
    assert tickets.count() == 6  # contact, 2 reports, 2 applications, idea
    assert set(receipts) <= set(tickets.values_list("number", flat=True))

    # Redis is back: what the doorbell could not ring, the relay (cron or beat) does
    own_redis.start()
    assert wait_until(production_redis.ping, 30)
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=3), tick=True)

    def all_routed() -> bool:
        if tickets.exclude(routing_state=RoutingState.ROUTED).exists():
            call_command("relay_tickets", stdout=io.StringIO())
            return False
        return True

    assert wait_until(all_routed, 60, interval=1), production_redis.log_text()[-3000:]
    for ticket in tickets:
        assert ticket.events.filter(kind=EventKind.ROUTED).count() == 1, ticket.number
        assert ticket.department is not None

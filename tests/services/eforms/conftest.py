"""Fixtures for the online applications: a catalogue entry that offers a form, and a way to
walk through a form's steps as the applicant would."""

from decimal import Decimal

import pytest
from wagtail.models import Site

from portal.tickets.constants import CategoryKind
from services.eforms.models import Submission
from tests.factories import CategoryFactory, DepartmentFactory, UserFactory


@pytest.fixture
def catalogue_index(db):
    from services.catalogue.models import ServiceIndexPage

    root = Site.objects.get(is_default_site=True).root_page
    return root.add_child(instance=ServiceIndexPage(title="Dienstleistungen", slug="dl"))


@pytest.fixture
def offer(catalogue_index):
    """`offer("sperrmuell")` publishes a service page that offers the form, with an application
    category of its own unless `category=False`. A code-defined form with a fee schedule sets the
    page's fee flags; `fee="30.00"` is the page's own fee (for editor-built forms)."""
    from services.catalogue.models import ServicePage
    from services.eforms.registry import fee_schedule

    def make(
        form_key: str = "",
        *,
        title: str | None = None,
        fee: str | None = None,
        department=None,
        category: bool = True,
    ):
        department = department or DepartmentFactory()
        schedule = fee_schedule(form_key) if form_key else None
        has_fee = any(f.amount_minor for f in schedule) if schedule is not None else bool(fee)
        page = ServicePage(
            title=title or f"Dienst {form_key}",
            slug=f"dienst-{form_key or 'seite'}-{ServicePage.objects.count()}",
            teaser="Ein Dienst der Stadt.",
            department=department,
            is_online=True,
            has_fee=has_fee,
            has_epayment=has_fee,
            fee_amount=Decimal(fee) if fee and schedule is None else None,
            form_key=form_key,
            category=(
                CategoryFactory(kind=CategoryKind.APPLICATION, default_department=department)
                if category
                else None
            ),
        )
        catalogue_index.add_child(instance=page)
        return page

    return make


@pytest.fixture
def applicant(db):
    return UserFactory(email="erika@example.org")


@pytest.fixture
def fill(client):
    """Walk a draft through its steps: `fill(submission, [{...step 1...}, {...step 2...}])`."""

    def walk(submission: Submission, steps: list[dict]):
        response = None
        for number, data in enumerate(steps, start=1):
            response = client.post(
                f"/antraege/antrag/{submission.public_id}/schritt/{number}/",
                {**data, "action": "weiter"},
            )
            assert response.status_code == 302, response.content.decode()[:3000]
        return response

    return walk


def start(client, key: str) -> Submission:
    response = client.post(f"/antraege/{key}/")
    assert response.status_code == 302
    return Submission.objects.latest("created_at")

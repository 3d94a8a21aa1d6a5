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
    """`offer("sperrmuell", fee=None)` publishes a service page that offers the form."""
    from services.catalogue.models import ServicePage

    def make(
        form_key: str = "", *, title: str | None = None, fee: str | None = None, department=None
    ):
        department = department or DepartmentFactory()
        category = CategoryFactory(kind=CategoryKind.APPLICATION, default_department=department)
        page = ServicePage(
            title=title or f"Dienst {form_key}",
            slug=f"dienst-{form_key or 'seite'}-{category.pk}",
            teaser="Ein Dienst der Stadt.",
            department=department,
            is_online=True,
            has_fee=fee is not None,
            has_epayment=fee is not None,
            fee_amount=Decimal(fee) if fee else None,
            form_key=form_key,
            category=category,
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

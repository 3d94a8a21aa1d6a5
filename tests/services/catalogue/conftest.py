"""A small site for the catalogue: root → home → Leistungskatalog, and a service factory."""

import itertools
import json
from decimal import Decimal

import pytest
from wagtail.models import Page, Site

from portal.cms.models import HomePage
from services.catalogue.models import ServiceIndexPage, ServicePage, Topic
from tests.factories import DepartmentFactory

_numbers = itertools.count(1)


@pytest.fixture
def home(db):
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bürgerportal", slug="start"))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home


@pytest.fixture
def catalogue(home):
    return home.add_child(instance=ServiceIndexPage(title="Leistungen A–Z", slug="leistungen"))


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Standesamt", short_name="STA", email="standesamt@stadt.example")


def make_topic(name: str, slug: str, **kwargs) -> Topic:
    return Topic.objects.create(name=name, slug=slug, **kwargs)


def build_service(**kwargs) -> ServicePage:
    """An unsaved service page with sensible defaults."""
    number = next(_numbers)
    topics = kwargs.pop("topics", [])
    documents = kwargs.pop("documents", [])
    kwargs.setdefault("title", f"Leistung {number}")
    kwargs.setdefault("slug", f"leistung-{number}")
    kwargs.setdefault("teaser", "Eine Leistung der Stadt.")
    if "department" not in kwargs:
        kwargs["department"] = DepartmentFactory()
    if "fee_amount" in kwargs and isinstance(kwargs["fee_amount"], str):
        kwargs["fee_amount"] = Decimal(kwargs["fee_amount"])
    page = ServicePage(
        required_documents=json.dumps(
            [{"type": "document", "value": {"name": n, "note": note}} for n, note in documents]
        ),
        **kwargs,
    )
    page.topics = topics
    return page


def make_service(parent, **kwargs) -> ServicePage:
    """A service page under `parent`, published unless live=False."""
    live = kwargs.pop("live", True)
    page = build_service(**kwargs)
    page.live = live
    parent.add_child(instance=page)
    return page


@pytest.fixture
def service_factory(catalogue):
    def make(**kwargs):
        parent = kwargs.pop("parent", catalogue)
        return make_service(parent, **kwargs)

    return make

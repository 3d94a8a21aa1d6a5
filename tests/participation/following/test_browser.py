"""In the browser: follow a project from its page, subscribe to the Mitmachpool, confirm by the
link in the e-mail and change the choice; axe-core checks every page on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import DistrictFactory
from tests.participation.factories import field_of_action, phase, project

from .conftest import follows, links, pool_subscriptions, run_enqueued

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_follow_a_project_and_subscribe_to_the_mitmachpool(
    page, live_server, axe, csp_errors, enqueued
):
    mobility = field_of_action("ZM 02", "Mobilität")
    DistrictFactory(name="Ergste")
    villigst = DistrictFactory(name="Villigst")
    vorhaben = project(title="Radweg Ruhrtal", field_of_action=mobility)
    phase(vorhaben)

    # follow from the project page
    page.goto(live_server.url + vorhaben.url)
    box = page.locator("#folgen")
    box.get_by_label("Ihre E-Mail-Adresse").fill("fritz@example.org")
    box.get_by_role("button", name="Vorhaben folgen").click()
    page.wait_for_url(re.compile(r"#folgen$"))
    assert "Fast geschafft" in page.content()
    axe(page)
    run_enqueued(enqueued)
    confirm = links(mail.outbox[-1])["follow-confirm"]
    page.goto(live_server.url + confirm)
    axe(page)
    page.get_by_role("button", name="Ja, ich möchte diesem Vorhaben folgen").click()
    page.wait_for_url(re.compile(r"#folgen$"))
    assert "Sie folgen jetzt diesem Vorhaben" in page.content()
    assert follows().get().is_active

    # the Mitmachpool
    box.get_by_role("link", name=re.compile("Mitmachpool")).click()
    page.wait_for_url(re.compile(r"/mitmachpool/$"))
    axe(page)
    page.get_by_role("button", name="Zum Mitmachpool anmelden").click()  # empty: errors
    assert page.locator("#error-summary").is_visible()
    axe(page)
    page.get_by_label("Ihre E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label("Mobilität").check()
    page.get_by_label("Ergste").check()
    page.get_by_role("button", name="Zum Mitmachpool anmelden").click()
    expect(page.locator("body")).to_contain_text("Fast geschafft")
    run_enqueued(enqueued)
    found = links(mail.outbox[-1])
    page.goto(live_server.url + found["pool-confirm"])
    axe(page)
    page.get_by_role("button", name="Ja, ich möchte in den Mitmachpool").click()
    page.wait_for_url(re.compile(r"/mitmachpool/einstellungen/"))
    assert page.get_by_label("Ergste").is_checked()
    axe(page)
    page.get_by_label("Ergste").uncheck()
    page.get_by_label("Villigst").check()
    page.get_by_role("button", name="Auswahl speichern").click()
    expect(page.locator("body")).to_contain_text("Ihre Auswahl ist gespeichert.")
    subscription = pool_subscriptions().get()
    assert subscription.is_active
    assert subscription.scope["districts"] == [villigst.pk]

    page.goto(live_server.url + found["pool-unsubscribe"])
    axe(page)
    page.get_by_role("button", name="Abmelden").click()
    expect(page.locator("body")).to_contain_text("Sie sind abgemeldet")
    axe(page)
    assert csp_errors == []

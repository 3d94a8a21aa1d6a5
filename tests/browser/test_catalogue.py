"""The Leistungskatalog in Debian's Chromium: search, filter, open a service; axe on every page."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)], ids=["desktop", "phone"])
def test_citizen_finds_a_service_and_its_online_application(
    page, live_server, demo_site, axe, csp_errors, viewport
):
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(live_server.url + "/")
    page.locator("main").get_by_role("link", name="Online-Dienste").click()
    assert page.url.endswith("/leistungen/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Leistungen A–Z"
    # 28 services of the catalogue's demo and the editor-built form of the eforms demo
    assert "29 Leistungen, davon 14 online" in page.locator(".catalogue-figures").inner_text()
    axe(page)
    assert no_horizontal_scroll(page)

    # search without JavaScript's help: a plain GET form
    page.get_by_label("Name oder Stichwort").fill("Urkunde")
    page.get_by_role("button", name="Leistungen anzeigen").click()
    results = page.locator("#catalogue-results-title")
    assert "gefunden für „Urkunde“" in results.inner_text()
    axe(page)

    page.get_by_role("link", name="Personenstandsurkunde beantragen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Personenstandsurkunde beantragen"
    flags = page.get_by_role("list", name="Merkmale der Leistung")
    assert "online bezahlbar" in flags.inner_text()
    apply = page.get_by_role("link", name="Online beantragen")
    assert apply.get_attribute("href") == "/antraege/personenstandsurkunde/"
    assert "12,00 €" in page.locator("main").inner_text()
    axe(page)
    assert no_horizontal_scroll(page)
    assert csp_errors == []


def test_filters_and_view_by_topic(page, live_server, demo_site, axe):
    page.goto(live_server.url + "/leistungen/")
    page.get_by_label("nur Leistungen, die online bezahlbar sind").check()
    page.get_by_role("radio", name="nach Lebenslagen").check()
    page.get_by_role("button", name="Leistungen anzeigen").click()
    assert "9 Leistungen gefunden" in page.locator("#catalogue-results-title").inner_text()
    assert page.locator(".catalogue-group__title", has_text="Gewerbe").count() == 1
    # every listed service can be paid online
    cards = page.locator(".card")
    for index in range(cards.count()):
        assert "online bezahlbar" in cards.nth(index).inner_text()
    axe(page)

    page.get_by_role("link", name="Alle Filter zurücksetzen").click()
    page.get_by_role("link", name="Gewerbe 3 Leistungen").click()
    assert "in „Gewerbe“" in page.locator("#catalogue-results-title").inner_text()
    page.get_by_role("link", name="Gewerbe anmelden").click()
    external = page.get_by_role("link", name="Zum Wirtschafts-Service-Portal.NRW")
    assert external.get_attribute("href") == "https://service.wirtschaft.nrw/"
    axe(page)

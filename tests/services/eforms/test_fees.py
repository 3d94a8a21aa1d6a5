"""One source of truth for fees: 1 to 5 copies of each certificate cost, at review and at the
payment, what the service page of the demo city publishes."""

import html as html_lib
import re
from decimal import Decimal

import pytest

from portal.accounts.models import User
from services.catalogue.models import ServicePage

pytestmark = pytest.mark.django_db

CITIZEN = "buerger@schwerte.example"
AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})*,\d{2})\s*€")


def euros(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def published_schedule(html: str) -> tuple[Decimal, Decimal]:
    """(first copy, each further copy) as the page's "Gebühren" line says them."""
    found = re.search(r"<dt>Gebühren</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert found, "the page publishes no fee"
    text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
    first = further = None
    for part in text.split(";"):
        amount = euros(AMOUNT.search(part).group(1))
        if "weitere" in part:
            further = amount
        else:
            first = amount
    assert first and further, text
    return first, further


def review_total(html: str) -> Decimal:
    found = re.search(r"Summe</th>\s*<td>([^<]+)</td>", html)
    assert found, "the review shows no total"
    return euros(AMOUNT.search(html_lib.unescape(found.group(1))).group(1))


def test_one_to_five_certificates_cost_what_the_page_says(demo_site, client):
    service = ServicePage.objects.live().get(form_key="personenstandsurkunde")
    first, further = published_schedule(client.get(service.url).content.decode())
    client.force_login(User.objects.get(email=CITIZEN))
    step_1 = client.post("/antraege/personenstandsurkunde/")["Location"]
    steps = [
        {"kind": "geburt", "copies": "1", "purpose": "rente"},
        {"family_name": "Muster", "given_names": "Erika", "event_date": "2020-03-14"},
        {"relation": "selbst", "delivery": "download"},
    ]
    steps[1]["event_place"] = "Schwerte"
    for number, data in enumerate(steps, start=1):
        url = step_1.replace("/schritt/1/", f"/schritt/{number}/")
        assert client.post(url, {**data, "action": "weiter"}).status_code == 302
    review_url = step_1.replace("/schritt/1/", "/pruefen/")

    for kind in ("geburt", "ehe", "sterbe"):
        for copies in range(1, 6):
            changed = client.post(
                step_1, {"kind": kind, "copies": copies, "purpose": "rente", "action": "weiter"}
            )
            assert changed.status_code == 302
            expected = first + (copies - 1) * further
            total = review_total(client.get(review_url).content.decode())
            assert total == expected, (kind, copies)

    # the start page names the amounts before anything is filled in
    start = html_lib.unescape(client.get("/antraege/personenstandsurkunde/").content.decode())
    for amount in (first, further):
        assert f"{amount:.2f} €".replace(".", ",") in start

    # the payment asks for the same amount: 5 Sterbeurkunden
    sent = client.post(review_url, {"consent": "on"})
    assert sent["Location"].startswith("/bezahlen/demo/")
    pay_page = html_lib.unescape(client.get(sent["Location"]).content.decode())
    assert f"{first + 4 * further:.2f}".replace(".", ",") in pay_page

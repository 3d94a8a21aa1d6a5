"""The demo pay page in Debian's Chromium: accessible (axe-core), no CSP errors; "Bezahlen" leads
back to the portal through the return URL and the payment is settled once. And the admin's
"Zahlungen" pages, with a refund, under axe-core as well."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.test import Client

from portal.accounts.models import User
from services.payments.constants import PaymentState, RefundState
from services.payments.models import Payment, Refund
from tests.browser.keyboard import focused, tab_to
from tests.factories import DepartmentFactory
from tests.mfa import totp_code

from .helpers import press, return_to_portal, start

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pay_on_the_demo_pay_page_and_land_on_the_return_url(
    page, live_server, demo_site, axe, csp_errors, settings, released
):
    settings.BASE_URL = live_server.url
    payment = start(DepartmentFactory(), continue_url="/")
    returned = []
    page.on(
        "response",
        lambda response: (
            returned.append(response.status) if "/bezahlen/zurueck/" in response.url else None
        ),
    )

    page.goto(live_server.url + payment.redirect_url)
    assert page.get_by_role("heading", name="Zahlung", level=1).is_visible()
    assert page.get_by_text("Demo-Zahlungsanbieter – es wird kein Geld bewegt").is_visible()
    assert page.get_by_test_id("amount").inner_text() == "30,50\u00a0€"
    assert "Bewohnerparkausweis für ein Jahr, Zone Innenstadt" in page.content()
    axe(page)

    # by keyboard: the first button of the form is "Bezahlen"
    button = tab_to(page, lambda el: el["text"] == "Bezahlen")
    assert button["tag"] == "BUTTON"
    assert focused(page)["text"] == "Bezahlen"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(live_server.url) + r"/$"))
    axe(page)
    assert returned == [302]  # the browser went through our return URL

    payment.refresh_from_db()
    assert payment.state == PaymentState.SUCCEEDED
    assert released.payment_ids == [payment.pk]

    # the pay page again (browser history): finished, nothing to press
    page.goto(live_server.url + payment.redirect_url)
    assert page.get_by_role("heading", name="Diese Zahlung ist abgeschlossen").is_visible()
    assert page.get_by_role("button", name="Bezahlen").count() == 0
    axe(page)
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.SUCCEEDED
    assert csp_errors == []


ADMIN_EMAIL = "admin@schwerte.example"
ADMIN_PASSWORD = "Demo-Admin-2026"  # the demo account's password (README)


def axe_admin(axe, page) -> None:
    """axe-core once Wagtail's fading messages are fully shown (see test_clerk_flow.py)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every((ul) => getComputedStyle(ul).opacity === '1')"
    )
    axe(page)


def test_staff_find_a_payment_and_refund_part_of_it(page, live_server, demo_site, axe):
    payer = Client()
    payment = start(DepartmentFactory())
    press(payer, payment, "pay")
    return_to_portal(payer, payment)
    admin = User.objects.get(email=ADMIN_EMAIL)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.goto(live_server.url + "/admin/zahlungen/")
    page.get_by_label("E-Mail").first.fill(ADMIN_EMAIL)
    page.get_by_label("Passwort").first.fill(ADMIN_PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    code = totp_code(secret)
    page.locator("input[name=code]").fill(code)
    page.locator("main").locator("button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/zahlungen/")
    assert page.get_by_role("heading", name="Zahlungen", level=2).is_visible()
    axe_admin(axe, page)

    page.get_by_label("Suche (Zahlungsnummer)").fill(payment.reference)
    page.get_by_role("button", name="Filtern").click()
    page.get_by_role("link", name=payment.reference).click()
    page.wait_for_url(f"**/admin/zahlungen/{payment.pk}/")
    assert page.get_by_role("heading", name=f"Zahlung {payment.reference}", level=2).is_visible()
    axe_admin(axe, page)

    page.get_by_label("Betrag in Euro").fill("12,34")
    page.get_by_label("Begründung").fill("Teil der Gebühr erlassen")
    page.get_by_role("button", name="Erstattung veranlassen").click()
    page.get_by_text("12,34\u00a0€ wurden erstattet.").wait_for()
    axe_admin(axe, page)
    refund = Refund.objects.get()
    assert (refund.amount_minor, refund.state, refund.actor) == (1234, RefundState.SUCCEEDED, admin)

    # too much: refused, in German, next to the field
    page.get_by_label("Betrag in Euro").fill("30,00")
    page.get_by_label("Begründung").fill("noch einmal")
    page.get_by_role("button", name="Erstattung veranlassen").click()
    page.get_by_text("Es können höchstens 18,16\u00a0€ erstattet werden.").first.wait_for()
    axe_admin(axe, page)
    assert Refund.objects.count() == 1

"""The Wagtail admin under its Content-Security-Policy, in Debian's Chromium: the dashboard, the
ticket queue and a page editor with its preview load without a single blocked script, style or
frame, and without a request to any other host (no Gravatar, no update check)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from wagtail.models import Page

from portal.accounts.models import User
from tests.browser.test_clerk_flow import axe_admin, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_pages_keep_to_their_policy(page, live_server, demo_site, axe, csp_errors):
    admin = User.objects.get(email="admin@schwerte.example")
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    page.set_viewport_size({"width": 1400, "height": 1000})

    log_in(page, live_server.url + "/admin/", admin.email, "Demo-Admin-2026", secret)
    page.wait_for_load_state("networkidle")
    axe_admin(axe, page)

    page.goto(live_server.url + "/admin/anliegen/")
    page.locator("table.backoffice-table").wait_for()
    # our styles come from the static file: the queue's layout is there
    assert (
        page.locator(".backoffice-filters").evaluate("el => getComputedStyle(el).display") == "grid"
    )
    axe_admin(axe, page)

    home = Page.objects.get(depth=2)
    page.goto(live_server.url + f"/admin/pages/{home.pk}/edit/")
    page.locator("form#page-edit-form").wait_for()
    # the preview is the admin framing itself: allowed by both headers
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("iframe[title]").first
    frame.locator("body").wait_for()
    page.wait_for_load_state("networkidle")

    assert csp_errors == []
    assert elsewhere == []

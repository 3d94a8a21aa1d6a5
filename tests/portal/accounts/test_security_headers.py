"""Headers a security review checks: personal pages are never stored, framing is refused alike by
X-Frame-Options and the CSP, the Wagtail admin has a Content-Security-Policy of its own, our admin
templates carry no inline script or style, and staff avatars do not come from Gravatar."""

import re
from pathlib import Path

import pytest

from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
FRAMING = {"DENY": "'none'", "SAMEORIGIN": "'self'"}


def directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    pairs = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in pairs}


@pytest.fixture
def staff_client(client, login_with_second_factor):
    login_with_second_factor(client, StaffUserFactory())
    return client


@pytest.mark.parametrize(
    "url", ["/konto/", "/accounts/email/", "/accounts/password/change/", "/antraege/meine/"]
)
def test_account_and_application_pages_are_not_stored(client, url):
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/antraege/sperrmuell/"])
def test_entrance_pages_are_not_stored_either(client, url):
    assert "no-store" in client.get(url)["Cache-Control"]


def test_any_page_shown_to_a_logged_in_person_is_not_stored(client):
    client.force_login(UserFactory())
    assert "no-store" in client.get("/")["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # the city's home page


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/anliegen/neu/", "/maengel/"])
def test_public_pages_refuse_every_frame_in_both_headers(client, url):
    response = client.get(url, follow=True)
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/account/", "/admin/anliegen/"])
def test_admin_frames_only_itself_and_has_a_strict_policy(staff_client, url):
    response = staff_client.get(url, follow=True)
    assert response.status_code == 200
    policy = directives(response)
    assert FRAMING[response["X-Frame-Options"]] == policy["frame-ancestors"][0] == "'self'"
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    # scripts only from our own origin (Wagtail's widgets still start with inline ones)
    assert [v for v in policy["script-src"] if v not in ("'self'", "'unsafe-inline'")] == []
    assert "no-store" in response["Cache-Control"]


def test_staff_avatars_do_not_come_from_gravatar(staff_client):
    for url in ("/admin/", "/admin/account/"):
        assert "gravatar" not in staff_client.get(url).content.decode().lower()


def test_the_dashboard_does_not_ask_wagtail_org_for_updates(client, login_with_second_factor):
    # Wagtail shows its upgrade check (a fetch from releases.wagtail.org) to administrators
    login_with_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/admin/").content.decode()
    assert "wagtail-dashboard" in html or "w-summary" in html
    assert "w-upgrade" not in html


def _inline_code(html: str) -> list[str]:
    scripts = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and "application/json" not in tag
    ]
    return scripts + re.findall(r"<style\b[^>]*>|\sstyle=\"", html)


def test_our_admin_templates_carry_no_inline_script_or_style():
    admin_templates = [
        path
        for path in TEMPLATES.rglob("*.html")
        if "admin" in path.relative_to(TEMPLATES).parts[:-1] or path.parts[-2] == "wagtailadmin"
    ]
    assert len(admin_templates) > 20
    found = {
        str(path.relative_to(TEMPLATES)): _inline_code(path.read_text()) for path in admin_templates
    }
    assert {name: code for name, code in found.items() if code} == {}

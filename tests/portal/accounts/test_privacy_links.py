"""The sign-up page and every consent checkbox link the city's privacy page (Datenschutz)."""

import re
from pathlib import Path

import pytest
from wagtail.models import Page, Site

from portal.cms.models import SiteSettings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
CONSENT = re.compile(r"einverstanden|Einwilligung|willige", re.IGNORECASE)


@pytest.fixture
def privacy_page():
    site = Site.objects.get(is_default_site=True)
    page = site.root_page.add_child(instance=Page(title="Datenschutz", slug="datenschutz"))
    settings = SiteSettings.for_site(site)
    settings.privacy_page = page
    settings.save()
    return page


def test_sign_up_page_links_the_privacy_page(client, privacy_page):
    html = client.get("/accounts/signup/").content.decode()
    note = re.search(r'<p class="hint-text" id="signup-privacy">(.*?)</p>', html, re.S).group(1)
    assert f'<a href="{privacy_page.url}">Datenschutzerklärung</a>' in note
    assert "Wie wir Ihre Daten verarbeiten" in note


def test_without_a_privacy_page_the_note_still_reads_well(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "lesen Sie in der Datenschutzerklärung." in re.sub(r"\s+", " ", html)


def test_every_consent_checkbox_links_the_privacy_page():
    """A template that asks for consent with a checkbox shows the link next to it."""
    checkboxes = {}
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r'<input[^>]*type="checkbox"[^>]*>.{0,600}', text, re.S):
            if CONSENT.search(match.group(0)):
                checkboxes[str(path.relative_to(TEMPLATES))] = text
    assert "eforms/submission_review.html" in checkboxes  # the check finds what it looks for
    missing = [
        name for name, text in checkboxes.items() if "includes/privacy_link.html" not in text
    ]
    assert missing == []

"""Citizens and editors read German names, never an internal code ("ZM 02 Mobilität") nor Wagtail's
English defaults ("In Moderators approval einreichen", groups "Editors" and "Moderators")."""

import json
import re

import pytest
from django.test import Client
from wagtail.models import Page

from participation.projects.models import ProjectPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\bZM \d")
# words of Wagtail's English defaults and common English UI words; German labels use none of them
ENGLISH = re.compile(
    r"\b(the|and|of|to|for|with|approval|submit|resubmit|moderators?|editors|save|publish|"
    r"delete|draft|cancel)\b",
    re.IGNORECASE,
)


TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")  # a ">" inside an attribute value stays


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|template|svg)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", TAG.sub(" ", html)).strip()


def menu_labels(value) -> list[str]:
    """The labels of the admin menu, from the sidebar's JSON (the sidebar is drawn by script)."""
    if isinstance(value, dict):
        own = [value["label"]] if isinstance(value.get("label"), str) else []
        return own + [label for item in value.values() for label in menu_labels(item)]
    if isinstance(value, list):
        return [label for item in value for label in menu_labels(item)]
    return []


@pytest.fixture
def editor(client, demo_site, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    return client


def test_editors_read_german_workflow_and_group_names(editor):
    for page in (
        Page.objects.get(slug="impressum"),
        ProjectPage.objects.filter(field_of_action__isnull=False).first(),
    ):
        response = editor.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
        html = response.content.decode()
        footer = html[html.index('<footer class="footer') : html.index("</footer>")]
        actions = visible_text(footer)
        assert "In Freigabe durch die Redaktionsleitung einreichen" in actions
        assert "Veröffentlichen" in actions
        assert ENGLISH.findall(actions) == [], actions
        assert not CODE.search(visible_text(html))  # the Handlungsfeld chooser shows names

    dashboard = editor.get("/admin/").content.decode()
    sidebar = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', dashboard, re.S)
    labels = menu_labels(json.loads(sidebar.group(1)))
    assert "Warteschlange" in labels and "Handlungsfelder" in labels
    assert [label for label in labels if ENGLISH.search(label)] == []

    groups = visible_text(editor.get("/admin/groups/").content.decode())
    for name in ("Redaktion", "Redaktionsleitung", "Sachbearbeitung"):
        assert name in groups
    assert "Editors" not in groups and "Moderators" not in groups


def test_citizens_read_the_name_of_a_handlungsfeld_never_its_code(demo_site):
    citizen = Client()
    project = ProjectPage.objects.filter(field_of_action__isnull=False).first()
    name = project.field_of_action.name
    for url in (
        "/vorhabenliste/",
        project.url,
        "/vorhabenliste/export/csv/",
        "/ideenpool/",
        "/mitmachpool/",
    ):
        response = citizen.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert name in text, url
        assert not CODE.search(text), (url, CODE.search(text))

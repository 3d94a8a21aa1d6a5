"""The web plumbing every source shares lives once, in portal.core and templates/includes/ (the
"one kernel" of docs/architecture.md): a second copy of a mechanism is a defect. Each test names
the one home of a mechanism and fails when its definition turns up anywhere else; what the
mechanisms do is tested over HTTP with the flows that use them (contact, reports, polls,
following, exports, the back offices)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AREAS = ("portal", "participation", "services")


def shipped_files(pattern: str) -> list[Path]:
    files = []
    for area in AREAS:
        for path in (ROOT / area).rglob(pattern):
            parts = path.relative_to(ROOT).parts
            if "migrations" not in parts and "demo" not in parts and path.name != "demo.py":
                files.append(path)
    return files


def where(files, pattern: str) -> set[str]:
    regex = re.compile(pattern, re.MULTILINE)
    return {
        str(path.relative_to(ROOT))
        for path in files
        if regex.search(path.read_text(encoding="utf-8"))
    }


PYTHON = [
    # (what, its one home, a definition of it)
    ("the honeypot field", "portal/core/forms.py", r"^\s+homepage = forms\.CharField"),
    ("the radio widget", "portal/core/forms.py", r"^class RadioSelect\("),
    ("the CSV formula guard", "portal/core/spreadsheets.py", r"\(\"=\", \"\+\", \"-\", \"@\""),
    (
        "the back-office base view",
        "portal/core/admin_views.py",
        r"WagtailAdminTemplateMixin|WagtailPaginator\(",
    ),
    ("the one-time-submit states", "portal/core/formtokens.py", r"import PENDING|, PENDING\b"),
]


@pytest.mark.parametrize(("what", "home", "pattern"), PYTHON, ids=[p[0] for p in PYTHON])
def test_python_mechanism_has_one_home(what, home, pattern):
    assert where(shipped_files("*.py"), pattern) == {home}, what


TEMPLATES = [
    ("the pagination", "templates/includes/pagination.html", r'class="pagination"'),
    ("the honeypot markup", "templates/includes/honeypot.html", r"form\.homepage"),
]


@pytest.mark.parametrize(("what", "home", "pattern"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_mechanism_has_one_home(what, home, pattern):
    templates = list((ROOT / "templates").rglob("*.html"))
    assert where(templates, pattern) == {home}, what


CARD_BOX = {
    "padding: var(--space-4)",
    "background: var(--c-bg)",
    "border: 1px solid var(--c-border)",
    "border-radius: var(--radius-lg)",
}


def test_one_card_style():
    """The public lists share `.card` (static/css/portal.css); no list draws its own card."""
    boxes = []
    for path in sorted((ROOT / "static" / "css").glob("*.css")):
        for selector, body in re.findall(r"^([^\s{}/][^{}]*)\{([^{}]*)\}", path.read_text(), re.M):
            declarations = {d.strip() for d in body.split(";") if d.strip()}
            if CARD_BOX <= declarations:
                boxes.append((path.name, selector.strip()))
    assert boxes == [("portal.css", ".card")]


def test_back_office_pages_share_one_stylesheet():
    """Every back office links the shared layout before its own rules."""
    styles = sorted((ROOT / "templates").glob("*/admin/_styles.html"))
    assert styles
    for path in styles:
        assert '{% include "includes/admin_styles.html" %}' in path.read_text(), path
    assert (ROOT / "static/css/admin/backoffice.css").is_file()

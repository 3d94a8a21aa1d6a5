"""The layering of docs/architecture.md, held over the import graph of the shipped code.

`portal.core` (the kernel) imports no app of the project; the spine (accounts, departments,
tickets) imports nothing of the areas; a source (every app of participation/ and services/ that is
not an area kernel, and portal.contact) imports no other source; an area kernel (below) imports no
source, and only the sources of its own area import it. Every .py of the
shipped apps is parsed (ast), lazy imports inside functions included; tests and migrations are
not shipped code, nor is the `demo` app (outside these areas, installed by the dev settings only).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AREAS = ("portal", "participation", "services")
KERNEL = "portal.core"
SPINE = ("portal.accounts", "portal.departments", "portal.tickets")
# The shell wires everything together (settings, URLs, the API router, the CMS pages).
SHELL = (
    "portal.cms",
    "portal.settings",
    "portal.urls",
    "portal.api",
    "portal.celery",
    "portal.wsgi",
)
CONTACT = "portal.contact"

# The kernel of an area: what the sources of that area are built on. An area kernel imports no
# source; a source may import the kernels of its own area, never another source (issue 14,
# docs/architecture.md "Three areas, one spine").
AREA_KERNELS = {
    # Vorhaben, phases and modules: polls, following, contributions and ideas plug into a
    # project; `projects` imports none of them (they register, participation.projects.sections).
    "participation.projects": "Vorhaben, phases, modules, participation rules",
    # The shared input and discussion (ideas, comments, supports, "Melden", moderation) that a
    # project and a pool idea are targets of (participation.contributions.targets).
    "participation.contributions": "the shared input model and discussion",
    # The provider-neutral payment interface an application's fee goes through.
    "services.payments": "payments, refunds, providers",
}


def app_of(module: str) -> str | None:
    """`participation.ideas.views` -> `participation.ideas`; None for code outside the areas."""
    parts = module.split(".")
    if parts[0] not in AREAS or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def is_source(app: str) -> bool:
    if app in AREA_KERNELS:
        return False
    return app == CONTACT or app.split(".")[0] in ("participation", "services")


def shell(app: str) -> bool:
    return app.startswith(SHELL)


def area(app: str) -> str:
    return app.split(".")[0]


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_shipped(root: Path, path: Path) -> bool:
    parts = path.relative_to(root).parts
    if parts[0] not in AREAS:
        return False
    return not any(part in ("migrations", "tests") for part in parts[1:])


def imported_modules(tree: ast.AST, module: str, *, is_package: bool) -> set[str]:
    """Every module an import statement names, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            # `from participation import ideas` names the app in the alias
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def import_edges(root: Path) -> set[tuple[str, str, str]]:
    """(importing app, imported app, file) for every import between two different apps."""
    edges = set()
    for area in AREAS:
        for path in sorted((root / area).rglob("*.py")):
            if not is_shipped(root, path):
                continue
            module = module_name(root, path)
            importer = app_of(module)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for target in imported_modules(tree, module, is_package=path.name == "__init__.py"):
                imported = app_of(target)
                if importer and imported and imported != importer:
                    edges.add((importer, imported, str(path.relative_to(root))))
    return edges


def violations(edges) -> list[str]:
    found = []
    for importer, imported, path in sorted(edges):
        if importer == KERNEL:
            found.append(f"{path}: the kernel imports {imported}")
        elif importer in SPINE and (is_source(imported) or imported in AREA_KERNELS):
            found.append(f"{path}: the spine ({importer}) imports {imported}")
        elif importer in AREA_KERNELS and is_source(imported):
            found.append(f"{path}: the area kernel {importer} imports the source {imported}")
        elif is_source(importer) and is_source(imported):
            found.append(f"{path}: the source {importer} imports the source {imported}")
        elif imported in AREA_KERNELS and area(importer) != area(imported) and not shell(importer):
            found.append(f"{path}: {importer} imports {imported}, the kernel of another area")
    return found


def test_the_layering_holds_for_the_shipped_code():
    assert violations(import_edges(ROOT)) == []


def test_every_area_kernel_is_what_a_source_builds_on():
    """An area kernel that no source imports is a source that escaped the rule."""
    used = {imported for importer, imported, _path in import_edges(ROOT) if is_source(importer)}
    assert sorted(set(AREA_KERNELS) - used) == []


def test_the_walker_sees_every_kind_of_import():
    """Without this, a walker that finds nothing would let every test above pass."""
    edges = {(importer, imported) for importer, imported, _path in import_edges(ROOT)}
    # known edges of the shipped code, one per kind of import statement
    assert ("services.reports", "portal.core") in edges  # from portal.core.x import y
    assert ("participation.polls", "participation.projects") in edges  # inside ready()
    assert ("portal.tickets", "portal.departments") in edges


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"services/reports/forms.py": "from portal.contact.forms import RadioSelect\n"},
            "services/reports/forms.py: the source services.reports imports the source "
            "portal.contact",
        ),
        (
            {"participation/polls/forms.py": "def f():\n    import services.reports.models\n"},
            "participation/polls/forms.py: the source participation.polls imports the source "
            "services.reports",
        ),
        (
            {"portal/core/health.py": "from portal.celery import app\n"},
            "portal/core/health.py: the kernel imports portal.celery",
        ),
        (
            {"portal/core/views.py": "from ..tickets import models\n"},
            "portal/core/views.py: the kernel imports portal.tickets",
        ),
        (
            {"portal/tickets/views.py": "from participation import ideas\n"},
            "portal/tickets/views.py: the spine (portal.tickets) imports participation.ideas",
        ),
        (
            {"participation/projects/views.py": "from participation.polls import selectors\n"},
            "participation/projects/views.py: the area kernel participation.projects imports "
            "the source participation.polls",
        ),
        (
            {"services/payments/services.py": "from services.eforms.models import Submission\n"},
            "services/payments/services.py: the area kernel services.payments imports the source "
            "services.eforms",
        ),
        (
            {"services/catalogue/forms.py": "from services.eforms.registry import form_choices\n"},
            "services/catalogue/forms.py: the source services.catalogue imports the source "
            "services.eforms",
        ),
        (
            {"services/reports/views.py": "from participation.projects.models import X\n"},
            "services/reports/views.py: services.reports imports participation.projects, the "
            "kernel of another area",
        ),
        (
            {"portal/tickets/models.py": "from services.payments import models\n"},
            "portal/tickets/models.py: the spine (portal.tickets) imports services.payments",
        ),
    ],
)
def test_a_forbidden_import_in_a_synthetic_tree_is_found(tmp_path, files, expected):
    assert violations(import_edges(_tree(tmp_path, files))) == [expected]


def test_allowed_imports_and_unshipped_code_are_not_reported(tmp_path):
    root = _tree(
        tmp_path,
        {
            "services/reports/forms.py": "from portal.core.forms import RadioSelect\n",
            "participation/ideas/models.py": "from participation.projects.models import X\n",
            "participation/ideas/services.py": "from participation.contributions import models\n",
            "services/eforms/services.py": "from services.payments.services import start\n",
            "services/eforms/migrations/0001_initial.py": "import participation.ideas\n",
            "portal/urls.py": "from participation.ideas import urls\n",
        },
    )
    assert violations(import_edges(root)) == []

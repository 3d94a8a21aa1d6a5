"""Demo content lives in the `demo` app only: no shipped app has a demo module, imports the demo app
or imports the CMS to put demo pages under its home page; the package is not shipped and only the
development and test settings install it."""

import ast
import fnmatch
import tomllib

from django.core.management import get_commands

from portal.settings import base
from tests.conftest import ROOT

SHIPPED_AREAS = ("portal", "participation", "services")
# a shipped feature, not demo content: the payment provider that takes no money
PAYMENT_PROVIDER = ROOT / "services" / "payments" / "providers" / "demo"
# the shell that mounts the CMS's views; the CMS itself
MAY_IMPORT_CMS = {"portal.urls"}


def shipped_modules() -> dict[str, ast.Module]:
    """Every module of the shipped areas, by dotted name; migrations left out."""
    modules = {}
    for area in SHIPPED_AREAS:
        for path in sorted((ROOT / area).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = ast.parse(path.read_text(), filename=str(path))
    return modules


def imported_names(name: str, tree: ast.Module) -> set[str]:
    """The absolute names a module imports, relative imports resolved."""
    parts = name.split(".")
    # relative imports start from a module's package, or from the package itself (`__init__`)
    package = parts if ROOT.joinpath(*parts).is_dir() else parts[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base_parts = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base_parts, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def test_no_shipped_app_has_demo_content():
    found = [
        str(path.relative_to(ROOT))
        for area in SHIPPED_AREAS
        for path in (ROOT / area).rglob("demo*")
        if "__pycache__" not in path.parts
        and path != PAYMENT_PROVIDER
        and PAYMENT_PROVIDER not in path.parents
    ]
    assert found == [], "Demo-Inhalte gehören in die App demo/"


def test_no_shipped_module_imports_the_demo_app_or_the_cms():
    demo_importers, cms_importers = [], []
    for name, tree in shipped_modules().items():
        imported = imported_names(name, tree)
        if any(is_under(module, "demo") for module in imported):
            demo_importers.append(name)
        if not is_under(name, "portal.cms") and name not in MAY_IMPORT_CMS:
            if any(is_under(module, "portal.cms") for module in imported):
                cms_importers.append(name)
    assert demo_importers == []
    assert cms_importers == []


def test_the_demo_app_is_neither_packaged_nor_installed_by_the_base_settings():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert not any(fnmatch.fnmatch("demo", pattern) for pattern in patterns)
    assert "demo" not in base.INSTALLED_APPS
    # where it is installed (development, tests), its load_demo replaces the one that refuses
    assert get_commands()["load_demo"] == "demo"

"""The code-defined service forms, by key. Each form module registers itself here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .definitions.base import Fee, ServiceForm

_FORMS: dict[str, ServiceForm] = {}


def register(form: ServiceForm) -> ServiceForm:
    _FORMS[form.key] = form
    return form


def get_form(key: str) -> ServiceForm | None:
    """A code-defined form, or an editor-built one ("seite-<id>") wrapped in the same interface."""
    from .constants import PAGE_FORM_PREFIX

    if key.startswith(PAGE_FORM_PREFIX):
        from .definitions.page_form import page_form
        from .selectors import service_for_form

        return page_form(key, service_for_form(key))
    _load()
    return _FORMS.get(key)


def fee_schedule(key: str) -> list[Fee] | None:
    """The fee schedule a code-defined form charges by, for the catalogue page that offers
    it; None when the form declares none (or is unknown)."""
    _load()
    form = _FORMS.get(key)
    return None if form is None else form.fees


def form_choices() -> list[tuple[str, str]]:
    """(key, title) of every code-defined form, for the catalogue's choice of an online form."""
    _load()
    return [(form.key, str(form.title)) for form in _FORMS.values()]


def _load() -> None:
    from . import definitions  # noqa: F401  (registers on import)

"""Status workflows and append-only history, once for every source.

A source declares its map of allowed moves once (`Workflow`) and lets its service check every move
with `check()`; the one refusal is `TransitionNotAllowed`, an ApplicationError with a German
message, so views and the API show it like any other domain error. A form offers `choices()`,
which are exactly the moves `check()` lets through.

Timelines and audit logs subclass `AppendOnlyModel`: a row is written once and never changed or
deleted, neither one by one nor by a queryset. Deleting the parent of a timeline (a ticket, a
payment) still takes its rows along, and deleting a person still blanks the `actor` columns:
Django's cascades go through the model's plain base manager, not through `objects`. Removing a
whole case is a deliberate act (erasure), rewriting one line of its history is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError

DEFAULT_REFUSAL = _("Von „%(old)s“ kann nicht zu „%(new)s“ gewechselt werden.")


class TransitionNotAllowed(ApplicationError):
    """A move the workflow does not declare. `old` and `new` are the raw state values."""

    def __init__(self, message, *, workflow: str, old: str, new: str, field: str | None = None):
        super().__init__(message, field=field)
        self.workflow = workflow
        self.old = old
        self.new = new


class Workflow:
    """A declared map `{from_state: {to_state, ...}}` over the values of a TextChoices class.

    `message` is the German refusal with `%(old)s` and `%(new)s` (the states' labels); `field` is
    the form field a refusal belongs to. Every state of `states` must be a key of the map (a state
    with no way out maps to an empty set), and every target must be one of `states`, so a typo
    fails at import time rather than in front of a clerk."""

    def __init__(
        self,
        name: str,
        transitions: Mapping[str, Iterable[str]],
        *,
        states: type[models.TextChoices],
        message=DEFAULT_REFUSAL,
        field: str | None = None,
    ):
        known = set(states.values)
        declared = {
            str(source): frozenset(str(t) for t in targets)
            for source, targets in transitions.items()
        }
        missing = known - set(declared)
        unknown = (set(declared) | set().union(*declared.values())) - known
        if missing or unknown:
            raise ValueError(
                f"Workflow {name!r}: states without an entry {sorted(missing)}, "
                f"unknown states {sorted(unknown)}"
            )
        self.name = name
        self.states = states
        self.message = message
        self.field = field
        self.transitions: Mapping[str, frozenset[str]] = MappingProxyType(declared)

    def __repr__(self):
        return f"<Workflow {self.name}>"

    def label(self, state: str) -> str:
        """The state's public label; an unknown value (forged input) is shown as it came."""
        return str(self.states(state).label) if state in self.transitions else str(state)

    def allowed(self, from_state: str) -> frozenset[str]:
        """Where `from_state` may go; nothing for an unknown state."""
        return self.transitions.get(from_state, frozenset())

    def can(self, from_state: str, to_state: str) -> bool:
        return to_state in self.allowed(from_state)

    def check(self, from_state: str, to_state: str, *, message=None, field: str | None = None):
        """Raise TransitionNotAllowed unless the map declares from_state → to_state. A source may
        word the refusal for its situation (`message`, with `%(old)s`/`%(new)s` if it likes)."""
        if self.can(from_state, to_state):
            return
        text = message if message is not None else self.message
        raise TransitionNotAllowed(
            str(text) % {"old": self.label(from_state), "new": self.label(to_state)},
            workflow=self.name,
            old=from_state,
            new=to_state,
            field=field if field is not None else self.field,
        )

    def choices(self, from_state: str) -> list[tuple[str, str]]:
        """The allowed targets as form choices, in the order the states are declared."""
        allowed = self.allowed(from_state)
        return [(value, label) for value, label in self.states.choices if value in allowed]

    def undeclared(self) -> list[tuple[str, str]]:
        """Every (from, to) pair the map does not allow, staying put included."""
        return [
            (old, new)
            for old in self.states.values
            for new in self.states.values
            if not self.can(old, new)
        ]


# --- append-only rows ---------------------------------------------------------------------------
class AppendOnlyError(ValueError):
    """A programming error: an append-only row was to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def _refuse(self, what: str):
        raise AppendOnlyError(
            f"{self.model.__name__} rows are append-only: {what} is refused. Add a new row instead."
        )

    def update(self, **kwargs):
        self._refuse("QuerySet.update()")

    def delete(self):
        self._refuse("QuerySet.delete()")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("QuerySet.bulk_update()")

    # the one exception: personal data erased by law (Art. 17 GDPR, the retention periods,
    # portal.core.mydata.erasure). The history keeps what happened, not who it was.
    def erase_personal(self, **fields) -> int:
        return models.QuerySet.update(self, **fields)

    def erase_rows(self) -> tuple[int, dict]:
        return models.QuerySet.delete(self)


class AppendOnlyModel(models.Model):
    """A row that is written once: save() only inserts, delete() and queryset writes refuse."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} rows are append-only: save() of a stored row is refused. "
                "Add a new row instead."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            f"{type(self).__name__} rows are append-only: delete() is refused. Deleting the "
            "parent row takes its history along."
        )

"""The retention job (Art. 5 Abs. 1 lit. e DSGVO): personal data is erased when its period ends.

An app registers a `RetentionRule` beside its declarations (`personal_data.py`): a name, a
German label for the Löschprotokoll, the setting that holds the period in days, and a function
that erases what was due before a cutoff and returns how many rows it changed. `retention_run()`
runs every rule once, each in its own transaction, and writes one line per rule into the
Löschprotokoll (`ErasureLog`: counts only, never personal data). Beat runs it daily
("privacy-retention"), `manage.py apply_retention` from cron.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionRule:
    name: str  # "core.outbox_addresses"
    label: str  # "Empfängeradressen versandter E-Mails"
    setting: str  # the period in days: "PRIVACY_OUTBOX_ADDRESS_DAYS"
    erase: Callable[[datetime], int]  # erases what is older than the cutoff; returns the count


_rules: dict[str, RetentionRule] = {}


def delete_with_files(queryset) -> int:
    """Delete the rows and, once the transaction commits, their stored files (a rollback keeps
    both). Append-only histories are deleted the one way the law allows (`erase_rows`).
    Returns the number of rows of the queryset's own model that went."""
    from django.db import models

    file_fields = [
        f for f in queryset.model._meta.concrete_fields if isinstance(f, models.FileField)
    ]
    files = []
    if file_fields:
        for row in queryset.only("pk", *(f.name for f in file_fields)).iterator():
            for model_field in file_fields:
                value = getattr(row, model_field.name)
                if value:
                    files.append((value.storage, value.name))
    if hasattr(queryset, "erase_rows"):
        _count, by_model = queryset.erase_rows()
    else:
        _count, by_model = queryset.delete()

    def remove_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return by_model.get(queryset.model._meta.label, 0)


def register_rule(rule: RetentionRule) -> RetentionRule:
    _rules[rule.name] = rule
    return rule


def rules() -> list[RetentionRule]:
    return sorted(_rules.values(), key=lambda rule: rule.name)


def retention_run(*, now: datetime | None = None) -> dict[str, int]:
    """Erase what is due now, rule by rule; a rule that fails is logged and the others run."""
    from .models import ErasureLog

    now = now or timezone.now()
    counts = {}
    for rule in rules():
        days = int(getattr(settings, rule.setting))
        try:
            with transaction.atomic():
                count = rule.erase(now - timedelta(days=days))
                ErasureLog.objects.create(
                    ran_at=now, rule=rule.name, label=str(rule.label), days=days, count=count
                )
        except Exception:
            logger.exception("Retention rule %s failed", rule.name)
            continue
        counts[rule.name] = count
    return counts

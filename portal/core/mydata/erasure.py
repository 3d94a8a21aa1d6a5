"""Erasing a person (Art. 17 GDPR), declaration by declaration (portal.core.privacy).

`erase_person()` runs in one transaction:
1. rows declared ANONYMISE or DETACH stay and lose the person: links to the account become
   empty, e-mail fields and the declared `identity` fields are emptied (a unique one, such as a
   secret status link, gets a fresh random value), and the person's names and addresses are
   replaced by "[gelöscht]" in their personal texts (a name typed into an application);
2. rows declared DELETE go, with their files (after commit), the account last;
3. no trace is left elsewhere: a declared personal text anywhere in the portal that quotes one
   of the person's addresses (a department's note) loses the addresses and the person's names;
   a name alone is not enough, it may be a namesake's or a phrase the person chose;
4. the Löschprotokoll gets one line per kind of data, with counts and never the person.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from portal.core import privacy
from portal.core.pagecache import public_content_changed, purge_stored_pages
from portal.core.retention import delete_with_files

from .people import Person, rows_of, text_fields, user_model_label

ERASED = "[gelöscht]"
# shorter names would take parts of other words and other people's texts with them
MIN_NAME_LENGTH = 3


@dataclass
class Erased:
    counts: dict[str, int] = field(default_factory=dict)  # model label -> rows changed or gone

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def identity_strings(person: Person, found) -> tuple[list[str], list[str]]:
    """(addresses and full names, first and last names alone): what is replaced in the person's
    own rows and in texts that quote one of the person's addresses."""
    everywhere = set(person.emails)
    own = set()
    user_label = user_model_label()
    if person.user_id and user_label in found:
        User = apps.get_model(user_label)
        user = User._default_manager.filter(pk=person.user_id).first()
        if user is not None:
            full = " ".join(part for part in (user.first_name, user.last_name) if part)
            for value in (full, getattr(user, "display_name", "")):
                if value and len(value) >= MIN_NAME_LENGTH and " " in value.strip():
                    everywhere.add(value.strip())
                elif value and len(value) >= MIN_NAME_LENGTH:
                    own.add(value.strip())
            own.update(
                part for part in (user.first_name, user.last_name) if len(part) >= MIN_NAME_LENGTH
            )
    for label, queryset in found.items():
        declaration = privacy.declaration_for(label)
        for name in declaration.identity if declaration else ():
            model_field = queryset.model._meta.get_field(name)
            if isinstance(model_field, models.CharField) and not model_field.unique:
                for value in queryset.values_list(name, flat=True):
                    if value and len(value) >= MIN_NAME_LENGTH:
                        (everywhere if " " in value or "@" in value else own).add(value.strip())
    return sorted(everywhere, key=len, reverse=True), sorted(own, key=len, reverse=True)


def _pattern(strings) -> re.Pattern | None:
    if not strings:
        return None
    return re.compile(
        r"(?<!\w)(" + "|".join(re.escape(s) for s in strings) + r")(?!\w)", re.IGNORECASE
    )


def _scrub(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    return value


def _scrub_rows(queryset, model_fields, pattern: re.Pattern) -> int:
    changed = 0
    names = [f.name for f in model_fields]
    if not names:
        return 0
    for row in queryset.only("pk", *names).iterator():
        updates = {}
        for name in names:
            value = getattr(row, name)
            new = _scrub(value, pattern)
            if new != value:
                updates[name] = new
        if updates:
            _update(queryset.model._default_manager.filter(pk=row.pk), **updates)
            changed += 1
    return changed


def _update(queryset, **fields) -> int:
    """Append-only histories allow exactly this change (portal.core.workflow)."""
    if hasattr(queryset, "erase_personal"):
        return queryset.erase_personal(**fields)
    return queryset.update(**fields)


def _unique(model_field) -> bool:
    """Unique alone or together with others (one report per person and contribution)."""
    if model_field.unique:
        return True
    meta = model_field.model._meta
    together = [c.fields for c in meta.constraints if isinstance(c, models.UniqueConstraint)]
    together += [tuple(names) for names in meta.unique_together]
    return any(model_field.name in names for names in together)


def _empty(model_field):
    if _unique(model_field) and isinstance(model_field, models.CharField):
        return secrets.token_urlsafe(32)[: model_field.max_length]
    if model_field.null:
        return None
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    return ""


def _detach(declaration, queryset, person: Person) -> None:
    """Empty the links and identity fields of the rows that stay."""
    model = queryset.model
    direct = [path for path in declaration.people if "__" not in path]
    for path in direct:
        model_field = model._meta.get_field(path)
        if model_field.is_relation:
            if person.user_id:
                _update(queryset.filter(**{path: person.user_id}), **{path: None})
        elif person.emails:
            condition = Q()
            for email in person.emails:
                condition |= Q(**{f"{path}__iexact": email})
            _update(queryset.filter(condition), **{path: _empty(model_field)})
    pks = list(queryset.values_list("pk", flat=True))
    for name in declaration.identity:
        model_field = model._meta.get_field(name)
        if _unique(model_field):
            for pk in pks:
                _update(model._default_manager.filter(pk=pk), **{name: _empty(model_field)})
        else:
            _update(model._default_manager.filter(pk__in=pks), **{name: _empty(model_field)})


def _containing(model, model_field, strings):
    """Rows whose field holds one of `strings`, found by the database; JSON is searched as
    text, as written (SQLite stores "ü" as "\\u00fc", PostgreSQL as "ü")."""
    queryset = model._default_manager.all()
    name = model_field.name
    if isinstance(model_field, models.JSONField):
        queryset = queryset.annotate(_as_text=Cast(name, models.TextField()))
        name = "_as_text"
    condition = Q()
    for value in strings:
        condition |= Q(**{f"{name}__icontains": value})
        escaped = json.dumps(value)[1:-1]
        if escaped != value:
            condition |= Q(**{f"{name}__icontains": escaped})
    return queryset.filter(condition)


def erase_person(person: Person, *, label: str, now=None) -> Erased:
    """Erase `person` everywhere; `label` says in the Löschprotokoll who asked (no person)."""
    from portal.core.retention.models import ErasureLog

    now = now or timezone.now()
    erased = Erased()
    user_label = user_model_label()
    with transaction.atomic():
        # names in public texts are rewritten with update(): the stored public pages are stale,
        # and no copy of a page or fragment that named the person stays in the cache
        public_content_changed()
        transaction.on_commit(purge_stored_pages)
        # fixed before anything changes: a row found through another (an event through its
        # Anliegen) must still be found once that other row has lost the person
        found = {
            label: queryset.model._default_manager.filter(
                pk__in=list(queryset.values_list("pk", flat=True))
            )
            for label, queryset in rows_of(person).items()
        }
        everywhere, own = identity_strings(person, found)
        own_pattern = _pattern(everywhere + own)
        # 1. what stays loses the person
        for declaration in privacy.declarations():
            queryset = found.get(declaration.model)
            if queryset is None or declaration.erasure == privacy.Erasure.DELETE:
                continue
            pks = list(queryset.values_list("pk", flat=True))
            if not pks:
                continue
            rows = queryset.model._default_manager.filter(pk__in=pks)
            _detach(declaration, rows, person)
            if own_pattern is not None:
                _scrub_rows(rows, text_fields(rows.model, declaration.fields), own_pattern)
            erased.counts[declaration.model] = len(pks)
        # 2. what goes, the account last
        deletions = [d for d in privacy.declarations() if d.erasure == privacy.Erasure.DELETE]
        deletions.sort(key=lambda d: d.model == user_label)
        for declaration in deletions:
            queryset = found.get(declaration.model)
            if queryset is None:
                continue
            pks = list(queryset.values_list("pk", flat=True))
            if not pks:
                continue
            rows = queryset.model._default_manager.filter(pk__in=pks)
            delete_with_files(rows)
            erased.counts[declaration.model] = erased.counts.get(declaration.model, 0) + len(pks)
        # 3. no trace elsewhere: a text that quotes one of the person's (confirmed) addresses
        # is about the person and loses the addresses and names. A name alone proves nothing:
        # it may be a namesake's, and it is whatever the person typed ("die Stadt")
        addresses = sorted(person.emails)
        if addresses and own_pattern is not None:
            for declaration in privacy.declarations():
                model = apps.get_model(declaration.model)
                for model_field in text_fields(model, declaration.fields):
                    candidates = _containing(model, model_field, addresses)
                    changed = _scrub_rows(candidates, [model_field], own_pattern)
                    if changed:
                        erased.counts[declaration.model] = (
                            erased.counts.get(declaration.model, 0) + changed
                        )
        # 4. the Löschprotokoll: kinds of data and counts
        for model_label, count in sorted(erased.counts.items()):
            ErasureLog.objects.create(
                ran_at=now,
                rule=f"person.{model_label}"[:80],
                label=f"{label}: {privacy.declaration_for(model_label).name}"[:200],
                days=0,
                count=count,
            )
    return erased

"""The copy of a person's data (Art. 15 and 20 GDPR), built from the declarations
(portal.core.privacy): one ZIP file with `daten.json` for machines, `daten.html` for people and
the uploaded files under `dateien/`.

Every declared model contributes the rows found for the person (portal.core.mydata.people), with
all their fields but secrets (passwords, tokens, the declaration's `withheld`). The working data
of staff (`Export.ON_REQUEST`, the rows found through `staff_people`, the `internal` fields such as
a clerk's note) is included only when the city builds the copy for a request.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import zipfile
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core import doorbell, outbox, privacy

from .models import DataExport, ExportState
from .people import Person, rows_of, user_model_label

logger = logging.getLogger(__name__)

# never handed out, in any model: hashes, secrets and the keys of links
_SECRET = re.compile(r"(password|token|secret|_hash$|^key$|session_key)")


def person_of(export: DataExport) -> Person:
    if export.case_id is not None:
        return Person.of_case(export.case_id)
    if export.by_staff:
        emails = {export.recipient.lower()} if export.recipient else set()
        if export.user_id:
            person = Person.of_user(export.user)
            emails |= set(person.emails)
        return Person(user_id=export.user_id, emails=frozenset(emails))
    return Person.of_user(export.user)


def _fields(model, declaration, *, by_staff: bool = False):
    """The fields handed out: never secrets; the city's internal work only in a copy the city
    builds (it checks them for other people's data first)."""
    withheld = set(declaration.withheld) | (set() if by_staff else set(declaration.internal))
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in withheld and not _SECRET.search(f.name)
    ]


def _file_name(label: str, pk, value) -> str:
    base = os.path.basename(value.name) or "datei"
    return f"dateien/{label.replace('.', '-')}/{pk}-{base}"


def _readable(row, model_field, value):
    if value is None or value == "":
        return ""
    if model_field.choices:
        return getattr(row, f"get_{model_field.name}_display")()
    if isinstance(model_field, models.BooleanField):
        return "ja" if value else "nein"
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    if isinstance(model_field, models.JSONField):
        return json.dumps(value, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    return str(value)


def _generic_relations(model) -> dict[str, GenericForeignKey]:
    """{field name: generic relation} of the content type and object id fields of `model`."""
    found = {}
    for private in model._meta.private_fields:
        if isinstance(private, GenericForeignKey):
            found[private.ct_field] = private
            found[private.fk_field] = private
    return found


def _related_text(row, model_field, person: Person, own: dict[str, set[str]], generic) -> str:
    """A link to another row, as a person reads it: never the number of a table, never
    someone else's name. Another account is "ein anderes Konto"; another person's row is its
    kind and number; anything else (a category, a poll, one's own idea) its own name."""
    relation = generic.get(model_field.name)
    if relation is not None:
        content_type = getattr(row, relation.ct_field)
        model = content_type.model_class() if content_type else None
        pk = getattr(row, relation.fk_field)
        target = getattr(row, relation.name, None)
    else:
        model = model_field.related_model
        pk = getattr(row, model_field.attname)
        target = None
    if model is None or pk is None:
        return ""
    label = model._meta.label
    if label == user_model_label():
        return str(_("Ihr Konto") if pk == person.user_id else _("ein anderes Konto"))
    declaration = privacy.declaration_for(label)
    if declaration is not None and declaration.fields and str(pk) not in own.get(label, ()):
        return f"{model._meta.verbose_name} {pk}"
    if relation is None:
        target = getattr(row, model_field.name, None)
    shown = str(target) if target is not None else str(pk)
    if relation is not None:
        return f"{model._meta.verbose_name}: {shown}"
    return shown


def _label(model_field, relation) -> str:
    """The field's name for people; a link to rows of any kind whose field has no name of its
    own says what it is."""
    if relation is not None and model_field.verbose_name == model_field.name.replace("_", " "):
        return _("Gehört zu")
    return model_field.verbose_name


def _title(row, model, model_fields, declaration, index: int) -> str:
    """The heading of a row; its kind and number when its name would show a secret (a
    session is named by its key)."""
    title = str(row)
    withheld = set(declaration.withheld)
    for model_field in model._meta.concrete_fields:
        if model_field in model_fields and model_field.name not in withheld:
            continue
        value = getattr(row, model_field.attname)
        if isinstance(value, str) and len(value) >= 8 and value in title:
            return f"{model._meta.verbose_name} {index}"
    return title


def collect(person: Person, *, include_on_request: bool):
    """(machine data, readable sections, files) of `person`."""
    found = rows_of(person, include_on_request=include_on_request)
    own = {
        label: {str(pk) for pk in queryset.values_list("pk", flat=True)}
        for label, queryset in found.items()
    }
    data, sections, files = {}, [], []
    for declaration in privacy.declarations():
        queryset = found.get(declaration.model)
        if queryset is None:
            continue
        model = apps.get_model(declaration.model)
        model_fields = _fields(model, declaration, by_staff=include_on_request)
        generic = _generic_relations(model)
        entries, readable = [], []
        # the rows a link names are read with the rows, not one query each
        linked = [f.name for f in model_fields if f.many_to_one or f.one_to_one]
        rows = queryset.select_related(*linked).prefetch_related(
            *{relation.name for relation in generic.values()}
        )
        for index, row in enumerate(rows.order_by("pk"), start=1):
            entry, shown = {}, []
            for model_field in model_fields:
                value = getattr(row, model_field.attname)
                if isinstance(model_field, models.FileField):
                    value = getattr(row, model_field.name)
                    if not value:
                        entry[model_field.name] = ""
                        continue
                    if declaration.export == privacy.Export.FILES:
                        name = _file_name(declaration.model, row.pk, value)
                        files.append((name, value))
                        entry[model_field.name] = name
                        shown.append((model_field.verbose_name, name, True))
                        continue
                    value = value.name
                entry[model_field.name] = value
                relation = generic.get(model_field.name)
                if relation is not None and model_field.name == relation.fk_field:
                    continue  # shown with the kind of row it points to
                if model_field.is_relation or relation is not None:
                    text = _related_text(row, model_field, person, own, generic)
                else:
                    text = _readable(row, model_field, value)
                if text:
                    shown.append((_label(model_field, relation), text, False))
            entries.append(entry)
            readable.append(
                {"title": _title(row, model, model_fields, declaration, index), "fields": shown}
            )
        if not entries:
            continue
        data[declaration.model] = {
            "bezeichnung": declaration.name,
            "kategorie": declaration.category,
            "zweck": declaration.purpose,
            "rechtsgrundlage": declaration.legal_basis,
            "frist": declaration.retention.rule,
            "eintraege": entries,
        }
        sections.append(
            {
                "label": declaration.model,
                "title": declaration.name,
                "declaration": declaration,
                "rows": readable,
            }
        )
    return data, sections, files


def build(export: DataExport) -> bytes:
    person = person_of(export)
    data, sections, files = collect(person, include_on_request=export.by_staff)
    created = timezone.now()
    document = {
        "portal": settings.WAGTAIL_SITE_NAME,
        "erstellt_am": created,
        "hinweis": "Auskunft nach Art. 15 und Art. 20 DSGVO",
        "daten": data,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "daten.json",
            json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        )
        archive.writestr(
            "daten.html",
            render_to_string(
                "core/mydata/export_document.html",
                {
                    "site_name": settings.WAGTAIL_SITE_NAME,
                    "created": created,
                    "sections": sections,
                    "case": export.case_id is not None,
                },
            ),
        )
        for name, value in files:
            try:
                with value.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except OSError:
                logger.warning("A file of the data export is missing: %s", name)
    export.counts = {label: len(item["eintraege"]) for label, item in data.items()}
    return buffer.getvalue()


def build_export(export_id) -> bool:
    """The worker's part: build, store, and tell the person (once)."""
    export = DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).first()
    if export is None:
        return False
    content = build(export)
    with transaction.atomic():
        export.file.save(f"{export.pk}.zip", ContentFile(content), save=False)
        export.size = len(content)
        export.state = ExportState.READY
        export.ready_at = timezone.now()
        export.save(update_fields=["file", "size", "state", "ready_at", "counts"])
        recipient = export.recipient if export.case_id else getattr(export.user, "email", "")
        if not export.by_staff:
            outbox.owe(
                f"privacy.export_ready:{export.pk}",
                kind="privacy.export_ready",
                recipient=recipient,
                template="emails/core/export_ready",
                context={"export": str(export.pk)},
            )
    return True


def _build_task():
    from portal.core.tasks import data_export_task

    return data_export_task


def request_export(*, user=None, case_id=None, recipient: str = "", by_staff=False) -> DataExport:
    """Ask for a copy; one at a time per person: a copy still being built is returned again."""
    pending = DataExport.objects.filter(
        state=ExportState.PENDING, user=user, case_id=case_id, by_staff=by_staff
    )
    if by_staff:
        pending = pending.filter(recipient=recipient)
    existing = pending.first()
    if existing is not None:
        return existing
    export = DataExport.objects.create(
        user=user, case_id=case_id, recipient=recipient, by_staff=by_staff
    )
    doorbell.ring_on_commit(_build_task, str(export.pk))
    return export


def export_relay(*, older_than_seconds: int = 120) -> int:
    """Ring again for copies still pending after a while (a lost doorbell)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        DataExport.objects.filter(state=ExportState.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in pending:
        doorbell.ring(_build_task(), str(pk))
    return len(pending)


def export_failed(export_id) -> None:
    """The worker gave up: the page says so and offers to ask again."""
    DataExport.objects.filter(pk=export_id, state=ExportState.PENDING).update(
        state=ExportState.FAILED
    )

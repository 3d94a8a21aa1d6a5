"""What personal data the portal holds, model by model, and what happens to it (Art. 5, 15, 17,
20 GDPR).

Every model with a field that looks personal – a link to an account, an e-mail address, a name,
a phone number, an address, an IP address, an uploaded file, structured answers, and the free
texts beside them – is declared by the app that owns it, in its module `personal_data.py`, found
by `autodiscover()` when the kernel is ready (`portal.accounts` declares the models of Django,
allauth and the Wagtail user profile, `portal.cms` those of Wagtail): which fields are personal,
how the rows of one person are found, how they are exported and erased, how long they are kept
and on which legal basis. `undeclared()` finds what nobody declared; a test runs it over every
installed model, so no new model can forget it. `manage.py privacy_document` writes
docs/datenschutz.md from the declarations. The kernel imports no app: models are named by their
label.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# legal bases, as the declarations name them
PUBLIC_TASK = "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 DSG NRW (Aufgabe der Stadt)"
CONSENT = "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung, Double-Opt-in)"
PORTAL_USE = "Art. 6 Abs. 1 lit. b DSGVO (freiwillige Nutzung eines Kontos)"
LEGAL_DUTY = "Art. 6 Abs. 1 lit. c DSGVO i. V. m. § 147 AO, KomHVO NRW (Aufbewahrungspflicht)"
STAFF = "Art. 6 Abs. 1 lit. e, Art. 88 DSGVO i. V. m. § 18 DSG NRW (Beschäftigtendaten)"
SECURITY = "Art. 6 Abs. 1 lit. e, Art. 32 DSGVO (Sicherheit der Verarbeitung)"
LEGAL_DUTY_GDPR = "Art. 6 Abs. 1 lit. c i. V. m. Art. 15 und 20 DSGVO (Auskunft, Übertragbarkeit)"


class Erasure(models.TextChoices):
    """What happens to a person's rows when their data is erased (Art. 17)."""

    DELETE = "delete", _("wird gelöscht")
    ANONYMISE = (
        "anonymise",
        _("wird anonymisiert: was öffentlich war, bleibt ohne Namen als „gelöschtes Konto“"),
    )
    DETACH = (
        "detach",
        _(
            "bleibt als Vorgang der Verwaltung ohne Bezug zur Person, bis seine eigene "
            "Aufbewahrungsfrist endet"
        ),
    )


class Export(models.TextChoices):
    """How a person receives these rows (Art. 15 and 20)."""

    ROWS = "rows", _("in der Datenauskunft, mit allen personenbezogenen Feldern")
    FILES = "files", _("in der Datenauskunft, mit den hochgeladenen Dateien")
    ON_REQUEST = (
        "on_request",
        _("auf Anfrage durch die Verwaltung (Arbeitsdaten von Beschäftigten)"),
    )


@dataclass(frozen=True)
class Retention:
    """How long the rows are kept. `setting` names the setting (in days) where the period can be
    changed; `enforced` says whether the daily retention job already erases them."""

    rule: str  # "90 Tage nach Abschluss des Anliegens"
    setting: str = ""
    enforced: bool = False


@dataclass(frozen=True)
class PersonalData:
    model: str  # "reports.Report"
    category: str  # the data class of the Verzeichnis: "Kontaktdaten von Meldenden"
    purpose: str
    legal_basis: str  # "Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 DSG NRW"
    fields: tuple[str, ...]  # the personal fields
    # how the rows of one person are found: paths to a link to the account ("author",
    # "ticket__citizen") or to an e-mail address ("reporter_email")
    people: tuple[str, ...]
    erasure: Erasure
    retention: Retention
    export: Export = Export.ROWS
    # fields that look personal but hold no personal data, each with the reason
    not_personal: dict[str, str] = field(default_factory=dict)
    # ANONYMISE/DETACH: fields emptied besides the direct `people` paths (a name typed in a
    # form); a unique text field gets a fresh random value (a secret status link)
    identity: tuple[str, ...] = ()
    # fields never handed out, not even to the person (password hashes, second-factor secrets)
    withheld: tuple[str, ...] = ()
    # the path to the Anliegen (tickets.Ticket) a row belongs to: "ticket", "report__ticket",
    # "id" for the Anliegen itself. What a person sent without an account is found by it
    case: str = ""
    # rows no path reaches (a session, a payment of an application): `rows_of(person, found)`
    # gets the rows found so far ({label: queryset}) and returns a queryset or None
    rows_of: Callable | None = None
    # the German name of the rows, for a model whose own name is not (another library's)
    title: str = ""
    # paths to the city's staff who worked on a row (a clerk assigned, the actor of an event):
    # their rows are found for an erasure and for a copy the city builds, never for a clerk's
    # own copy, which would hand out citizens' cases
    staff_people: tuple[str, ...] = ()
    # the city's internal work on a row (a clerk's note): in a copy only when the city builds it
    # and can check it for other people's data first
    internal: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        from django.apps import apps

        return self.title or str(apps.get_model(self.model)._meta.verbose_name_plural)


_declarations: dict[str, PersonalData] = {}


def autodiscover() -> None:
    """Import `personal_data` of every installed app (each declares its models there)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("personal_data")


def declare(*declarations: PersonalData) -> None:
    for declaration in declarations:
        _declarations[declaration.model] = declaration


def declarations() -> list[PersonalData]:
    return sorted(_declarations.values(), key=lambda d: d.model)


def declaration_for(label: str) -> PersonalData | None:
    return _declarations.get(label)


def unknown_declarations() -> list[str]:
    """Declarations of models that are not installed (a typo, a removed model)."""
    from django.apps import apps

    installed = {model._meta.label for model in apps.get_models()}
    return [
        f"{label}: kein installiertes Modell" for label in sorted(set(_declarations) - installed)
    ]


# --- what looks personal --------------------------------------------------------------------------
_PERSONAL_NAME = re.compile(
    r"(e_?mail|phone|telefon|mobile|first_name|last_name|full_name|display_name|"
    r"(author|reporter|contact|offline|applicant|payer|submitter|original)_name|"
    r"^ip$|_ip$|ip_address|user_agent|recipient|address|street|birth|iban|session_data)"
)


def _links_to_a_person(model_field) -> bool:
    if not (model_field.is_relation and (model_field.many_to_one or model_field.one_to_one)):
        return False
    related = model_field.related_model
    if related is None:
        return False
    label = related if isinstance(related, str) else related._meta.label
    return label.lower() == settings.AUTH_USER_MODEL.lower()


def _direct(model) -> set[str]:
    return {
        f.name
        for f in model._meta.local_concrete_fields
        if _links_to_a_person(f)
        or isinstance(
            f,
            models.EmailField
            | models.GenericIPAddressField
            | models.FileField
            | models.BinaryField,
        )
        or _PERSONAL_NAME.search(f.name)
    }


def _holds_personal_data(model) -> bool:
    """Declared with personal fields, or not declared and looking personal."""
    declaration = _declarations.get(model._meta.label)
    return bool(declaration.fields) if declaration else bool(_direct(model))


def personal_looking_fields(model) -> set[str]:
    """The fields of `model` itself (not of its parents) that look personal. A model with one
    of them, or a part of such a model (an answer of a response), must also classify its free
    texts (`TextField`) and structured data (`JSONField`)."""
    own = model._meta.local_concrete_fields
    found = _direct(model)
    part_of_personal = any(
        f.is_relation
        and f.many_to_one
        and not isinstance(f.related_model, str)
        and f.related_model is not model
        and _holds_personal_data(f.related_model)
        for f in own
    )
    if found or part_of_personal:
        found |= {f.name for f in own if isinstance(f, models.TextField | models.JSONField)}
    return found


def _follow(model, hops):
    """The model at the end of the relations `hops` from `model`, or None."""
    for hop in hops:
        try:
            model_field = model._meta.get_field(hop)
        except Exception:
            return None
        if not model_field.is_relation or model_field.related_model is None:
            return None
        model = model_field.related_model
        if isinstance(model, str):  # a lazy reference ("accounts.User")
            from django.apps import apps

            model = apps.get_model(model)
    return model


def _resolves(model, path: str) -> bool:
    """`path` leads from `model` to a link to an account or to an e-mail field."""
    *hops, last = path.split("__")
    model = _follow(model, hops)
    if model is None:
        return False
    try:
        model_field = model._meta.get_field(last)
    except Exception:
        return False
    return (
        _links_to_a_person(model_field)
        or isinstance(model_field, models.EmailField)
        or last == "recipient"  # the outbox's address of any kind of e-mail
    )


def _reaches(model, path: str, target: str) -> bool:
    """`path` leads from `model` to the primary key of `target` ("id" for `target` itself)."""
    if path in ("id", "pk"):
        return model._meta.label == target
    model = _follow(model, path.split("__"))
    return model is not None and model._meta.label == target


def undeclared(model_list) -> list[str]:
    """What is missing or wrong, one German line each; empty when every model is declared."""
    problems = []
    for model in model_list:
        if model._meta.abstract or model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label
        looks = personal_looking_fields(model)
        declaration = _declarations.get(label)
        if declaration is None:
            if looks:
                problems.append(
                    f"{label}: keine Erklärung zu personenbezogenen Daten "
                    f"(Felder: {', '.join(sorted(looks))})"
                )
            continue
        names = {f.name for f in model._meta.concrete_fields}
        classified = set(declaration.fields) | set(declaration.not_personal)
        declared_names = set(declaration.identity) | set(declaration.withheld)
        for name in sorted((declared_names | set(declaration.internal)) - names):
            problems.append(f"{label}.{name}: erklärt, aber kein Feld des Modells")
        if declaration.case and not _reaches(model, declaration.case, "tickets.Ticket"):
            problems.append(f"{label}: „{declaration.case}“ führt zu keinem Anliegen")
        for name in sorted(looks - classified):
            problems.append(f"{label}.{name}: weder als personenbezogen noch als nicht "
                            f"personenbezogen erklärt")  # fmt: skip
        for name in sorted(classified - names):
            problems.append(f"{label}.{name}: erklärt, aber kein Feld des Modells")
        for path in (*declaration.people, *declaration.staff_people):
            if not _resolves(model, path):
                problems.append(
                    f"{label}: „{path}“ führt zu keinem Konto und keiner E-Mail-Adresse"
                )
        setting = declaration.retention.setting
        if setting and not isinstance(getattr(settings, setting, None), int):
            problems.append(f"{label}: die Frist-Einstellung {setting} fehlt")
    return problems


# --- the document for the data protection officer -------------------------------------------------
def document() -> str:
    """docs/datenschutz.md: the skeleton of the Verzeichnis von Verarbeitungstätigkeiten and the
    Löschkonzept, one section per data class, generated from the declarations."""
    from django.apps import apps

    lines = [
        "# Datenschutz: personenbezogene Daten im Bürgerportal",
        "",
        "Erzeugt aus den Erklärungen der Module (`portal.core.privacy`) mit",
        "`manage.py privacy_document`; ein Test prüft, dass diese Datei dazu passt. Nicht von Hand",
        "ändern: die Erklärung im Modul ändern und die Datei neu erzeugen.",
        "",
        "Grundlage für das Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO) und das",
        "Löschkonzept der Stadt. „Frist umgesetzt: nein“ heißt: die Frist ist festgelegt, der",
        "tägliche Löschlauf setzt sie noch nicht um.",
        "",
    ]
    by_category: dict[str, list[PersonalData]] = {}
    for declaration in declarations():
        by_category.setdefault(declaration.category, []).append(declaration)
    for category in sorted(by_category):
        lines += [f"## {category}", ""]
        for declaration in by_category[category]:
            model = apps.get_model(declaration.model)
            verbose = {f.name: str(f.verbose_name) for f in model._meta.get_fields()
                       if hasattr(f, "verbose_name")}  # fmt: skip
            fields = ", ".join(
                f"`{name}`"
                if verbose.get(name, name.replace("_", " ")) == name.replace("_", " ")
                else f"{verbose[name]} (`{name}`)"
                for name in declaration.fields
            )
            lines += [
                f"### {declaration.name} (`{declaration.model}`)",
                "",
                f"- Zweck: {declaration.purpose}",
                f"- Rechtsgrundlage: {declaration.legal_basis}",
                f"- Personenbezogene Felder: {fields or 'keine'}",
                f"- Auskunft: {Export(declaration.export).label}",
                f"- Löschung: {Erasure(declaration.erasure).label}",
                f"- Frist: {declaration.retention.rule}"
                + (
                    f" (Einstellung `{declaration.retention.setting}`)"
                    if declaration.retention.setting
                    else ""
                ),  # fmt: skip
                f"- Frist umgesetzt: {'ja' if declaration.retention.enforced else 'nein'}",
            ]
            if declaration.internal:
                internal = ", ".join(f"`{name}`" for name in declaration.internal)
                lines.append(
                    f"- Nur in einer Auskunft durch die Verwaltung (interne Arbeit): {internal}"
                )
            if declaration.withheld:
                withheld = ", ".join(f"`{name}`" for name in declaration.withheld)
                lines.append(f"- Nicht in der Datenauskunft (Geheimnisse): {withheld}")
            for name, reason in sorted(declaration.not_personal.items()):
                lines.append(f"- Nicht personenbezogen: `{name}` – {reason}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

"""Whose data: a person (an account and its confirmed addresses) or one Anliegen sent without an
account, and the rows of every declared model that belong to them (portal.core.privacy)."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from portal.core import privacy


@dataclass(frozen=True)
class Person:
    """`user_id` and `emails` (lower case) find a person's rows; `case_id` instead limits them
    to what was sent with one Anliegen (the secret status link of a person without account)."""

    user_id: int | None = None
    emails: frozenset[str] = frozenset()
    case_id: int | None = None

    @classmethod
    def of_user(cls, user) -> Person:
        """The account and its confirmed addresses. An unconfirmed address proves nothing: it
        could be somebody else's, whose reports a copy would hand out and an erasure would
        take along. The account's own rows are found by the link to it anyway."""
        from allauth.account.models import EmailAddress

        emails = EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
        return cls(user_id=user.pk, emails=frozenset(email.lower() for email in emails))

    @classmethod
    def of_case(cls, case_id: int) -> Person:
        return cls(case_id=case_id)


def _path_filter(model, path: str, person: Person) -> Q | None:
    *hops, last = path.split("__")
    target = model
    for hop in hops:
        target = target._meta.get_field(hop).related_model
    model_field = target._meta.get_field(last)
    if model_field.is_relation:
        return Q(**{path: person.user_id}) if person.user_id else None
    if not person.emails:
        return None
    condition = Q()
    for email in sorted(person.emails):
        condition |= Q(**{f"{path}__iexact": email})
    return condition


def person_filter(
    declaration: privacy.PersonalData, person: Person, *, as_staff: bool = True
) -> Q | None:
    """Which rows of the declared model belong to `person`; None when none can. `as_staff`:
    also the rows the person worked on for the city (`staff_people`)."""
    model = apps.get_model(declaration.model)
    if person.case_id is not None:
        if not declaration.case:
            return None
        return Q(**{declaration.case: person.case_id})
    condition = None
    paths = (*declaration.people, *(declaration.staff_people if as_staff else ()))
    for path in paths:
        found = _path_filter(model, path, person)
        if found is not None:
            condition = found if condition is None else condition | found
    return condition


def rows_of(person: Person, *, include_on_request: bool = True) -> dict[str, QuerySet]:
    """{model label: queryset} of every declared model with rows of `person`; the querysets
    are lazy and may be empty. Without `include_on_request` (a person's own copy): no working
    data of staff, neither their models nor the rows they worked on."""
    found: dict[str, QuerySet] = {}
    later = []
    for declaration in privacy.declarations():
        if declaration.export == privacy.Export.ON_REQUEST and not include_on_request:
            continue
        model = apps.get_model(declaration.model)
        condition = person_filter(declaration, person, as_staff=include_on_request)
        if condition is not None:
            found[declaration.model] = model._default_manager.filter(condition).distinct()
        if declaration.rows_of is not None:
            later.append(declaration)
    for declaration in later:
        extra = declaration.rows_of(person, found)
        if extra is None:
            continue
        if declaration.model in found:
            pks = set(found[declaration.model].values_list("pk", flat=True))
            pks |= set(extra.values_list("pk", flat=True))
            extra = extra.model._default_manager.filter(pk__in=pks)
        found[declaration.model] = extra
    return found


def user_model_label() -> str:
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.label


def text_fields(model, names) -> list[models.Field]:
    """The fields among `names` that hold text a name or an address can hide in."""
    result = []
    for name in names:
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            continue
        if isinstance(model_field, models.CharField | models.TextField | models.JSONField):
            result.append(model_field)
    return result

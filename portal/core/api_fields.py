"""Fields of the REST API that several apps share: query parameters and serializer fields."""

import datetime

import django_filters
from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

# The largest id a database key can hold (64-bit): a larger number is a 400, not a query the
# database refuses with an error.
ID_MAX = 2**63 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
# the same messages from the filters (Django forms) and the query serializers (DRF), formal German
ID_MESSAGES = {
    "invalid": _("Bitte geben Sie als Id eine ganze Zahl ab 1 an."),
    "min_value": _("Bitte geben Sie als Id eine ganze Zahl ab 1 an."),
    "max_value": _("Eine so große Id gibt es nicht."),
    "max_string_length": _("Eine so große Id gibt es nicht."),
}

# a search term that is too long (DRF's own German message says "du")
SEARCH_MESSAGES = {"max_length": _("Bitte geben Sie höchstens {max_length} Zeichen ein.")}


class IdFilter(django_filters.NumberFilter):
    """The id of a related object (`?district=12`): a whole number, so documented as an integer,
    and "-4.2e+65" or "1.5" are a 400 with a German message."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("error_messages", ID_MESSAGES)
        super().__init__(*args, **kwargs)
        schema = dict(ID_SCHEMA)
        if self.label:
            schema["description"] = str(self.label)
        extend_schema_field(schema)(self)


class _UtcIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is None or timezone.is_naive(value):
            return value
        try:
            # the database takes offsets up to ±15:59 only; "+16:35" is a valid ISO 8601 offset
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Diesen Zeitpunkt gibt es nicht."), code="invalid"
            ) from None


class IsoDateTimeUtcFilter(django_filters.IsoDateTimeFilter):
    """A point in time (`?received_after=2026-05-04T10:00:00+02:00`), compared in UTC: any ISO
    8601 offset is taken, and a date beyond the calendar is a 400 with a German message, never a
    database error."""

    field_class = _UtcIsoDateTimeField


class IdField(serializers.IntegerField):
    """The id of a related object in a query serializer: as `IdFilter`, for views without
    django-filter."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        kwargs.setdefault("error_messages", ID_MESSAGES)
        super().__init__(**kwargs)


class OptionalURLField(serializers.URLField):
    """An address that may be missing (a model's `URLField(blank=True)`): null, not an empty
    string, which is no URL and would break the schema's `format: uri`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


# --- detail addresses of public pages: /…/<id or slug>/ ------------------------------------------
ID_OR_SLUG = "id_or_slug"


def id_or_slug_parameter(description: str) -> OpenApiParameter:
    """The documented path parameter of `IdOrSlugLookupMixin`."""
    return OpenApiParameter(
        ID_OR_SLUG,
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=description,
        pattern=r"^[-\w]+$",  # as lookup_value_regex
    )


class IdOrSlugLookupMixin:
    """A read-only viewset of public pages whose detail address takes the id (digits) or the
    slug; `get_public(key=…)` returns the live, public page or None (a 404)."""

    lookup_url_kwarg = ID_OR_SLUG
    lookup_value_regex = r"[-\w]+"

    def get_public(self, *, key: str):
        raise NotImplementedError

    def get_object(self):
        page = self.get_public(key=self.kwargs[self.lookup_url_kwarg])
        if page is None:
            raise Http404
        self.check_object_permissions(self.request, page)
        return page

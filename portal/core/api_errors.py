"""One error shape for the whole REST API (REST_FRAMEWORK's EXCEPTION_HANDLER):

    {"detail": "Die Anfrage enthält ungültige Werte.", "fields": {"limit": ["Bitte …"]}}

`detail` is always a German sentence fit to show; `fields` names each rejected query value or
body field with its messages (empty for errors that concern no single value). The schema
documents it once, as the component `Error` (`portal.core.api_schema`)."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler

from .errors import ApplicationError

INVALID = _("Die Anfrage enthält ungültige Werte.")
THROTTLED_SOON = _("Zu viele Anfragen. Bitte versuchen Sie es gleich erneut.")

ERROR_SCHEMA = {
    "type": "object",
    "description": "Ein Fehler, in derselben Form bei jedem Statuscode.",
    "properties": {
        "detail": {"type": "string", "description": "Was nicht ging, in einem deutschen Satz"},
        "fields": {
            "type": "object",
            "description": "Die abgelehnten Werte (Parameter oder Felder) mit ihren Meldungen; "
            "leer, wenn der Fehler keinen einzelnen Wert betrifft",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "fields"],
}


def error_body(detail, fields: dict[str, list[str]] | None = None) -> dict:
    return {"detail": str(detail), "fields": fields or {}}


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def _fields(detail: dict, prefix: str = "") -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for key, value in detail.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            fields.update(_fields(value, name))
        else:
            fields[name] = _messages(value)
    return fields


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        # Django's message names the model in English ("No Department matches the given query.")
        exc = exceptions.NotFound()
    elif isinstance(exc, ApplicationError):
        message = [str(exc.message)]
        exc = exceptions.ValidationError({exc.field: message} if exc.field else message)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500, logged with its traceback
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail) if isinstance(exc.detail, dict) else {}
        general = fields.pop("non_field_errors", [])
        if not isinstance(exc.detail, dict):
            general = _messages(exc.detail)
        response.data = error_body(" ".join(general) or INVALID, fields)
    elif isinstance(exc, exceptions.Throttled):
        seconds = int(exc.wait or 0)  # as DRF's Retry-After header says it
        response.data = error_body(
            ngettext(
                "Zu viele Anfragen. Bitte versuchen Sie es in %(seconds)s Sekunde erneut.",
                "Zu viele Anfragen. Bitte versuchen Sie es in %(seconds)s Sekunden erneut.",
                seconds,
            )
            % {"seconds": seconds}
            if seconds
            else THROTTLED_SOON
        )
    else:
        response.data = error_body(" ".join(_messages(response.data)))
    return response


def api_not_found(request, *args, **kwargs):
    """Any other address under the API: a 404 in the API's error shape, not a web page."""
    return JsonResponse(error_body(exceptions.NotFound.default_detail), status=404)

"""Hooks of drf-spectacular (SPECTACULAR_SETTINGS) for the schema at /api/schema/."""

from .api_errors import ERROR_SCHEMA


def only_public_api(endpoints):
    """Document our own API only: Wagtail's admin API under /admin/api/ is internal."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def _error(description: str, **extra) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        **extra,
    }


BAD_REQUEST = _error("Ein Parameter hat einen ungültigen Wert; `fields` nennt ihn mit der Meldung.")
FORBIDDEN = _error("Nicht angemeldet oder keine Berechtigung für diese Daten.")
NOT_FOUND = _error("Nicht gefunden (oder nicht öffentlich).")
THROTTLED = _error(
    "Zu viele Anfragen in kurzer Zeit.",
    headers={
        "Retry-After": {
            "description": "Nach wie vielen Sekunden wieder Anfragen angenommen werden",
            "schema": {"type": "integer"},
        }
    },
)


API_KEY = {
    "name": "X-API-Key",
    "in": "header",
    "required": False,
    "description": (
        "Der API-Schlüssel einer App der Stadt oder eines anderen Dienstes (wie `api_key` bei "
        "Open311): Lesende Anfragen werden dann je Schlüssel statt je Adresse gezählt, mit einem "
        "höheren Limit. Ein unbekannter oder gesperrter Schlüssel zählt wie keiner."
    ),
    "schema": {"type": "string"},
}


def document_errors(result, generator, request, public):
    """The API's one error shape, and on each operation the errors it can answer with: 400 and
    429 everywhere, 403 where a login is required, 404 where an object is addressed."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if operation.get("operationId", "").endswith(("_list", "_retrieve")):
                operation.setdefault("parameters", []).append(API_KEY)
            errors = {"400": BAD_REQUEST, "429": THROTTLED}
            if {} not in operation.get("security", [{}]):
                errors["403"] = FORBIDDEN
            if "{" in path:
                errors["404"] = NOT_FOUND
            responses = operation.setdefault("responses", {})
            for code, response in errors.items():
                responses.setdefault(code, response)
    return result

"""Pages of the public API. `limit` and `offset` are checked like any other query value: a
malformed one is a 400 with a German message, never a silent default and never a database error.
A `limit` above `max_limit` is cut to it, as DRF does. Links to other pages are under BASE_URL
(`portal.core.links`)."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from .links import LimitOffsetPagination

_DIGITS = re.compile(r"[0-9]+")
# Larger than any list will ever be, and still far below what SQL's LIMIT/OFFSET can take.
_HUGE = 10**15


def _natural(value: str, *, name: str, minimum: int) -> int:
    if not _DIGITS.fullmatch(value):
        raise ValidationError(
            {name: [_("Bitte geben Sie eine ganze Zahl ab %(minimum)s an.") % {"minimum": minimum}]}
        )
    # a number with more digits than _HUGE is at least as large, so it is not even converted
    number = int(value) if len(value) <= len(str(_HUGE)) else _HUGE
    if number < minimum:
        raise ValidationError(
            {name: [_("Bitte geben Sie eine ganze Zahl ab %(minimum)s an.") % {"minimum": minimum}]}
        )
    return min(number, _HUGE)


class ApiPagination(LimitOffsetPagination):
    """The API's lists: 50 entries a page unless the client asks for more, at most 200."""

    default_limit = 50
    max_limit = 200

    def get_limit(self, request) -> int:
        value = request.query_params.get(self.limit_query_param, "")
        if value == "":
            return self.default_limit
        return min(_natural(value, name=self.limit_query_param, minimum=1), self.max_limit)

    def get_offset(self, request) -> int:
        value = request.query_params.get(self.offset_query_param, "")
        if value == "":
            return 0
        return _natural(value, name=self.offset_query_param, minimum=0)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _(
                        "Einträge je Seite (Vorgabe %(default)s, höchstens %(max)s; größere "
                        "Werte werden auf %(max)s begrenzt)"
                    )
                    % {"default": self.default_limit, "max": self.max_limit}
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": str(_("Wie viele Einträge übersprungen werden (Vorgabe 0)")),
                "schema": {"type": "integer", "minimum": 0},
            },
        ]

"""Pages of the public API. `limit` and `offset` are checked like any other query value: a
malformed one is a 400 with a German message, never a silent default and never a database error.
A `limit` above `max_limit` is cut to it, as DRF does. Links to other pages are under BASE_URL
(`portal.core.links`).

`count` is counted up to COUNT_CAP rows only, so that a page costs the same with a thousand
rows as with a million: above the cap it is COUNT_CAP and `count_exact` is false ("mehr als
1.000"). `next` does not depend on the count: one row more than the page is read to know
whether another page follows."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .links import LimitOffsetPagination, rebased_url
from .pagecache import public_data

_DIGITS = re.compile(r"[0-9]+")
# Larger than any list will ever be, and still far below what SQL's LIMIT/OFFSET can take.
_HUGE = 10**15
# rows counted at most; more are reported as "more than COUNT_CAP"
COUNT_CAP = 1000


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
    count_cap = COUNT_CAP

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count, self.count_exact = self.get_capped_count(queryset)
        if self.count > self.limit and self.template is not None:
            self.display_page_controls = True
        if self.count_exact and self.offset >= self.count:
            self.has_next = False
            return []
        # one row beyond the page says whether another follows
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def get_capped_count(self, queryset) -> tuple[int, bool]:
        """(count, exact): the number of rows, counted up to `count_cap`; above it the cap and
        False. Counts primary keys of at most cap + 1 rows, without joins or ordering."""
        counted = queryset.order_by().values("pk")[: self.count_cap + 1].count()
        return min(counted, self.count_cap), counted <= self.count_cap

    def get_next_link(self):
        if not self.has_next:
            return None
        url = replace_query_param(
            self.request.build_absolute_uri(), self.limit_query_param, self.limit
        )
        return rebased_url(
            replace_query_param(url, self.offset_query_param, self.offset + self.limit)
        )

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_exact", "results"]
        response["properties"] = {
            "count": count_schema(self.count_cap),
            "count_exact": count_exact_schema(self.count_cap),
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        return response

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


def count_schema(cap: int) -> dict:
    return {
        "type": "integer",
        "minimum": 0,
        "maximum": cap,
        "example": 123,
        "description": str(
            _(
                "Anzahl der Einträge, gezählt bis %(cap)s; bei mehr ist sie %(cap)s und "
                "count_exact false. Weitere Seiten zeigt next an."
            )
            % {"cap": f"{cap:,}".replace(",", ".")}
        ),
    }


def count_exact_schema(cap: int) -> dict:
    return {
        "type": "boolean",
        "description": str(
            _("true: count ist die genaue Anzahl; false: es sind mehr als %(cap)s Einträge")
            % {"cap": f"{cap:,}".replace(",", ".")}
        ),
    }


class PublicListMixin:
    """For a viewset whose list is the same for everybody who may read it (nothing of the
    person who asks): the page's data is kept until anything public changes
    (portal.core.pagecache.public_data), keyed by the address with its query and the language.
    Throttles, permissions and the parameters' checks run on every request as before; a page
    with an error is never kept."""

    def list(self, request, *args, **kwargs):
        def compute():
            response = super(PublicListMixin, self).list(request, *args, **kwargs)
            return response.data

        return Response(public_data(request, f"api:{self.basename}:list", compute))

"""`/api/v1/reports/`: published reports as GeoJSON for maps and apps. Never personal data."""

from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.core.pagecache import public_data
from portal.core.pagination import ApiPagination, count_exact_schema, count_schema
from portal.tickets.api import NUMBER_PARAMETER
from portal.tickets.constants import TRAFFIC_LIGHT, TicketStatus

from .models import Report
from .selectors import report_list_public


class ReportPropertiesSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="ticket.number")
    category = serializers.CharField(source="category.name")
    category_slug = serializers.CharField(source="category.slug")
    description = serializers.CharField(source="public_text")
    status = serializers.CharField(source="ticket.status")
    status_label = serializers.CharField(source="ticket.public_status_label")
    traffic_light = serializers.CharField(source="ticket.traffic_light")
    district = serializers.CharField(source="ticket.district.name", default=None)

    class Meta:
        model = Report
        fields = [
            "number",
            "category",
            "category_slug",
            "description",
            "address",
            "district",
            "status",
            "status_label",
            "traffic_light",
            "support_count",
            "created_at",
        ]


POINT_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
    },
}


class ReportFeatureSerializer(serializers.Serializer):
    """A GeoJSON Feature (RFC 7946): coordinates are longitude, latitude."""

    type = serializers.SerializerMethodField()
    id = serializers.CharField(source="ticket.number")
    geometry = serializers.SerializerMethodField()
    properties = ReportPropertiesSerializer(source="*")

    @extend_schema_field({"type": "string", "enum": ["Feature"]})
    def get_type(self, report) -> str:
        return "Feature"

    @extend_schema_field(POINT_SCHEMA)
    def get_geometry(self, report) -> dict:
        return {"type": "Point", "coordinates": [float(report.longitude), float(report.latitude)]}


class FeatureCollectionPagination(ApiPagination):
    """A GeoJSON FeatureCollection with the API's paging members (`count` capped as in
    ApiPagination: a bbox over the whole city never counts every report)."""

    default_limit = 100
    max_limit = 500

    def get_paginated_response(self, data):
        return Response(
            {
                "type": "FeatureCollection",
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "features": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["type", "count", "count_exact", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": count_schema(self.count_cap),
                "count_exact": count_exact_schema(self.count_cap),
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "features": schema,
            },
        }


def parse_bbox(value: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    try:
        west, south, east, north = (Decimal(part) for part in value.split(","))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"bbox": "Erwartet: west,süd,ost,nord in Grad (WGS 84)."}) from exc
    finite = all(part.is_finite() for part in (west, south, east, north))  # no NaN, no Infinity
    if not (finite and -180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError({"bbox": "Die Koordinaten liegen außerhalb des gültigen Bereichs."})
    return west, south, east, north


@extend_schema_view(
    list=extend_schema(
        summary="Veröffentlichte Mängelmeldungen (GeoJSON)",
        tags=["Mängelmelder"],
        parameters=[
            OpenApiParameter("bbox", OpenApiTypes.STR, description="west,süd,ost,nord"),
            OpenApiParameter("category", OpenApiTypes.STR, description="Kurzname der Kategorie"),
        ],
    ),
    retrieve=extend_schema(
        summary="Eine Mängelmeldung (GeoJSON)", tags=["Mängelmelder"], parameters=[NUMBER_PARAMETER]
    ),
)
class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportFeatureSerializer
    permission_classes = [AllowAny]
    pagination_class = FeatureCollectionPagination
    filter_backends = []
    lookup_field = "ticket__number"
    lookup_url_kwarg = "number"

    def list(self, request, *args, **kwargs):
        """A page of features built from plain values: a city view of 500 reports needs no model
        instances and no serializer per row. Writes what ReportFeatureSerializer writes. The same
        for everybody, so kept until anything public changes (portal.core.pagecache)."""

        def compute():
            page = self.paginate_queryset(self.get_queryset().values(*FEATURE_VALUES))
            labels = dict(TicketStatus.choices)
            created = serializers.DateTimeField()
            return self.get_paginated_response(
                [_feature(row, labels=labels, created=created) for row in page]
            ).data

        return Response(public_data(request, "api:report:list", compute))

    def get_queryset(self):
        reports = report_list_public()
        params = self.request.query_params
        if params.get("bbox"):
            west, south, east, north = parse_bbox(params["bbox"])
            boxed = reports.filter(latitude__range=(south, north), longitude__range=(west, east))
            if connection.vendor == "sqlite" and _holds_more_than(boxed, self.paginator.count_cap):
                boxed = _box_in_date_order(reports, west, south, east, north)
            reports = boxed
        if params.get("category"):
            reports = reports.filter(category__slug=params["category"])
        return reports


def _holds_more_than(reports, cap: int) -> bool:
    return reports.order_by().values("pk")[: cap + 1].count() > cap


def _box_in_date_order(reports, west, south, east, north):
    """The box as a filter SQLite cannot answer from the (latitude, longitude) index, so that it
    walks the public lists' date order (`reports_public_newest`) and stops after a page: for a
    box holding much of the city (SQLite otherwise reads every report in it and sorts them all:
    200 ms for 100,000 reports, 20 ms so). PostgreSQL chooses well by itself."""

    def plain(field: str):  # numeric, not the column: no index
        return ExpressionWrapper(F(field) + 0.0, output_field=FloatField())

    return reports.alias(box_latitude=plain("latitude"), box_longitude=plain("longitude")).filter(
        box_latitude__range=(float(south), float(north)),
        box_longitude__range=(float(west), float(east)),
    )


FEATURE_VALUES = (
    "latitude",
    "longitude",
    "ticket__number",
    "category__name",
    "category__slug",
    "public_description",
    "description",
    "address",
    "ticket__district__name",
    "ticket__status",
    "ticket__duplicate_of__number",
    "support_count",
    "created_at",
)


def _feature(row: dict, *, labels: dict, created: serializers.DateTimeField) -> dict:
    """One feature as ReportFeatureSerializer writes it (Ticket.public_status_label included)."""
    status = row["ticket__status"]
    duplicate_of = row["ticket__duplicate_of__number"]
    if status == TicketStatus.DUPLICATE and duplicate_of:
        label = _("Duplikat von %(number)s") % {"number": duplicate_of}
    else:
        label = str(labels.get(status, status))
    return {
        "type": "Feature",
        "id": row["ticket__number"],
        "geometry": {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        },
        "properties": {
            "number": row["ticket__number"],
            "category": row["category__name"],
            "category_slug": row["category__slug"],
            "description": row["public_description"] or row["description"],
            "address": row["address"],
            "district": row["ticket__district__name"],
            "status": status,
            "status_label": label,
            "traffic_light": TRAFFIC_LIGHT[status],
            "support_count": row["support_count"],
            "created_at": created.to_representation(row["created_at"]),
        },
    }

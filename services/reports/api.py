"""`/api/v1/reports/`: published reports as GeoJSON for maps and apps. Never personal data."""

from decimal import Decimal, InvalidOperation

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

from portal.core.pagination import ApiPagination
from portal.tickets.api import NUMBER_PARAMETER

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
    default_limit = 100
    max_limit = 500

    def get_paginated_response(self, data):
        return Response(
            {
                "type": "FeatureCollection",
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "features": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer"},
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

    def get_queryset(self):
        reports = report_list_public()
        params = self.request.query_params
        if params.get("bbox"):
            west, south, east, north = parse_bbox(params["bbox"])
            reports = reports.filter(latitude__range=(south, north), longitude__range=(west, east))
        if params.get("category"):
            reports = reports.filter(category__slug=params["category"])
        return reports

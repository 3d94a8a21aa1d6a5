from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Department, District
from .selectors import department_list_active, district_list


class DepartmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "kind_display", "email"]


class DistrictSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id des Stadtbezirks; null = keiner"
    )
    area = serializers.JSONField(help_text="GeoJSON Polygon oder MultiPolygon (WGS 84)")

    class Meta:
        model = District
        fields = ["id", "name", "kind", "kind_display", "parent", "area"]


@extend_schema_view(
    list=extend_schema(summary="Aktive Fachbereiche", tags=["Stadtverwaltung"]),
    retrieve=extend_schema(summary="Ein Fachbereich", tags=["Stadtverwaltung"]),
)
class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return department_list_active()


@extend_schema_view(
    list=extend_schema(summary="Stadtteile und Stadtbezirke", tags=["Stadtverwaltung"]),
    retrieve=extend_schema(summary="Ein Stadtteil oder Stadtbezirk", tags=["Stadtverwaltung"]),
)
class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DistrictSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return district_list()

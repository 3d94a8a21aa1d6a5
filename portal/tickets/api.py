"""`/api/v1/tickets/`: the department's tickets for staff, read-only, scoped like the admin."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from portal.accounts.middleware import session_has_second_factor
from portal.core.api_fields import IdFilter, IsoDateTimeUtcFilter

from .constants import OPEN_STATUSES, TicketStatus
from .models import Ticket
from .selectors import ticket_list_for_user

# the receipt number in an address (`services._next_number`): year, dash, at least six digits
NUMBER_PARAMETER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Vorgangsnummer, z. B. 2026-004711",
    pattern=r"^\d{4}-\d{6,}$",
)


class IsStaffWithSecondFactor(permissions.BasePermission):
    """Department staff and admins, in a session confirmed with the second factor."""

    message = "Nur für Mitarbeitende mit Zwei-Faktor-Anmeldung."

    def has_permission(self, request, view):
        user = request.user
        return (
            user.is_authenticated
            and user.has_perm("tickets.access_queue")
            and session_has_second_factor(request)
        )

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm("tickets.view_ticket", obj)


class TicketSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True, default=None)
    district = serializers.CharField(source="district.name", read_only=True, default=None)
    status_label = serializers.CharField(source="public_status_label", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "source_kind",
            "category",
            "summary",
            "status",
            "status_label",
            "department",
            "district",
            "address",
            "latitude",
            "longitude",
            "channel",
            "due_date",
            "is_overdue",
            "routing_state",
            "received_at",
            "closed_at",
        ]
        read_only_fields = fields


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TicketStatus.choices)
    open = django_filters.BooleanFilter(method="filter_open", label="nur offene")
    category = IdFilter(field_name="category_id", label="Id einer Kategorie")
    district = IdFilter(field_name="district_id", label="Id eines Stadtteils")
    department = IdFilter(field_name="department_id", label="Id eines Fachbereichs")
    received_after = IsoDateTimeUtcFilter(field_name="received_at", lookup_expr="gte")

    class Meta:
        model = Ticket
        fields = ["status", "category", "district", "department", "channel"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES)
            if value
            else queryset.exclude(status__in=OPEN_STATUSES)
        )


@extend_schema_view(
    list=extend_schema(summary="Anliegen der eigenen Fachbereiche", tags=["Anliegen"]),
    retrieve=extend_schema(
        summary="Ein Anliegen", tags=["Anliegen"], parameters=[NUMBER_PARAMETER]
    ),
)
class TicketViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TicketSerializer
    permission_classes = [IsStaffWithSecondFactor]
    filterset_class = TicketFilter
    lookup_field = "number"

    def get_queryset(self):
        return ticket_list_for_user(self.request.user).order_by("-received_at", "-pk")

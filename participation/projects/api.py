"""`/api/v1/projects/`: the Vorhabenliste for apps and open-data portals. Published projects only;
read-only, no personal data (the contact person is left out)."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from wagtail.rich_text import expand_db_html

from portal.core.api_fields import (
    SEARCH_MESSAGES,
    IdField,
    IdOrSlugLookupMixin,
    OptionalURLField,
    id_or_slug_parameter,
)
from portal.core.links import page_absolute_url
from portal.core.pagination import ApiPagination, PublicListMixin

from .constants import EventFormat, Intensity, Module, ProjectStatus
from .forms import MAX_QUERY_LENGTH
from .models import FieldOfAction, Phase, ProjectEvent, ProjectPage, ProjectStatistics
from .selectors import (
    project_get_public,
    project_list_filtered,
    project_list_public,
    project_statistics,
    project_with_details,
    project_with_phases,
)

TAGS = ["MitMachStadt"]


class ProjectStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ProjectStatus.choices, **kwargs)


class ProjectStatusFieldExtension(OpenApiSerializerFieldExtension):
    """The project status as one named component, `ProjectStatusEnum`: other APIs have a
    `status` of their own, and list and detail share this one."""

    target_class = ProjectStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="ProjectStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="ProjectStatusEnum",
            schema={
                "type": "string",
                "enum": list(ProjectStatus.values),
                "description": "\n".join(
                    f"* `{value}` – {label}" for value, label in ProjectStatus.choices
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class FieldOfActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FieldOfAction
        fields = ["id", "code", "name"]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PhaseSerializer(serializers.ModelSerializer):
    intensity = serializers.ChoiceField(choices=Intensity.choices, help_text="Beteiligungsstufe")
    intensity_display = serializers.CharField(source="intensity_label")
    modules = serializers.ListField(
        child=serializers.ChoiceField(choices=Module.choices),
        help_text="Was in dieser Phase möglich ist",
    )
    input_use = serializers.CharField(
        source="input_use_text", help_text="Was mit den Beiträgen geschieht"
    )
    is_running = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields = [
            "name",
            "description",
            "intensity",
            "intensity_display",
            "starts_at",
            "ends_at",
            "modules",
            "input_use",
            "is_running",
        ]
        read_only_fields = fields

    def get_is_running(self, phase) -> bool:
        return phase.is_running(self.context.get("now"))


class StatisticsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectStatistics
        fields = [
            "participants_online",
            "participants_offline",
            "contributions_online",
            "contributions_offline",
            "reactions",
        ]
        read_only_fields = fields


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    text = serializers.CharField()


class EventSerializer(serializers.ModelSerializer):
    format = serializers.ChoiceField(choices=EventFormat.choices)
    livestream_url = OptionalURLField(help_text="Link zum Livestream; null = keiner")

    class Meta:
        model = ProjectEvent
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "format",
            "place",
            "livestream_url",
        ]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    title = serializers.CharField(help_text="Titel des Vorhabens")
    url = serializers.SerializerMethodField(help_text="Seite des Vorhabens im Portal")
    status = ProjectStatusField(help_text="Stand")
    status_display = serializers.CharField(source="get_status_display")
    field_of_action = FieldOfActionSerializer(allow_null=True, help_text="Handlungsfeld")
    cities = serializers.SerializerMethodField(help_text="Städte (meist eine)")
    districts = NamedSerializer(many=True, help_text="Stadtteile; leer = ganze Stadt")
    department = NamedSerializer(allow_null=True, help_text="zuständiger Fachbereich")
    cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="Kosten in Euro"
    )
    sdgs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17),
        help_text="Nachhaltigkeitsziele der Vereinten Nationen (Nummern 1–17)",
    )
    participation_open = serializers.BooleanField(
        help_text="Gerade läuft eine Phase, in der man mitmachen kann"
    )
    phases = PhaseSerializer(many=True, help_text="Phasen der Beteiligung, nach Datum")
    statistics = serializers.SerializerMethodField(help_text="Zähler der Beteiligung")

    class Meta:
        model = ProjectPage
        fields = [
            "id",
            "slug",
            "title",
            "summary",
            "url",
            "status",
            "status_display",
            "field_of_action",
            "cities",
            "districts",
            "location",
            "latitude",
            "longitude",
            "start_date",
            "end_date",
            "cost",
            "cost_text",
            "department",
            "sdgs",
            "participation_planned",
            "participation_open",
            "phases",
            "statistics",
            "last_published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, project) -> str:
        return page_absolute_url(project, self.context.get("request"))

    def get_cities(self, project) -> list[str]:
        return [city.strip() for city in project.cities.split(",") if city.strip()]

    @extend_schema_field(StatisticsSerializer)
    def get_statistics(self, project) -> dict:
        # one serializer for the whole list: building a ModelSerializer's fields per project was
        # the largest part of the list's cost
        if not hasattr(self, "_statistics"):
            self._statistics = StatisticsSerializer()
        return self._statistics.to_representation(project_statistics(project))


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.SerializerMethodField(help_text="Beschreibung (HTML)")
    participation_text = serializers.CharField(help_text="Wie beteiligt wird")
    result = serializers.SerializerMethodField(help_text="Ergebnis (HTML); leer = noch keines")
    updates = UpdateSerializer(many=True, help_text="Fortschrittsmeldungen, neueste zuerst")
    events = EventSerializer(many=True, help_text="Veranstaltungen, nach Datum")

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description",
            "participation_text",
            "result",
            "updates",
            "events",
        ]
        read_only_fields = fields

    def get_description(self, project) -> str:
        return expand_db_html(project.body) if project.body else ""

    def get_result(self, project) -> str:
        return expand_db_html(project.result) if project.result else ""


class ProjectQuerySerializer(serializers.Serializer):
    """The list's query parameters; a wrong value is a 400 with the field named."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages=SEARCH_MESSAGES,
        help_text="Suchbegriff (Titel, Kurzbeschreibung, Ort)",
    )
    status = ProjectStatusField(required=False, help_text="Stand des Vorhabens")
    district = IdField(required=False, help_text="Id eines Stadtteils")
    field_of_action = IdField(required=False, help_text="Id eines Handlungsfelds")
    open_participation = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="nur (true) oder keine (false) Vorhaben, bei denen gerade Beteiligung läuft",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Vorhabenliste",
        description="Veröffentlichte Vorhaben der Stadt von A bis Z, mit Phasen und Zählern "
        "der Beteiligung.",
        tags=TAGS,
        parameters=[ProjectQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Ein Vorhaben",
        tags=TAGS,
        parameters=[id_or_slug_parameter("Id (Ziffern) oder Kurzname (slug) des Vorhabens")],
    ),
)
class ProjectViewSet(PublicListMixin, IdOrSlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = ApiPagination
    filter_backends = []

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_queryset(self):
        params = ProjectQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return project_list_filtered(
            projects=project_with_details(project_with_phases(project_list_public())),
            query=data.get("q", ""),
            status=data.get("status", ""),
            district_id=data.get("district"),
            field_of_action_id=data.get("field_of_action"),
            open_participation=data.get("open_participation"),
        )

    def get_public(self, *, key: str):
        return project_get_public(key=key)

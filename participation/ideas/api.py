"""`/api/v1/ideas/`: the Ideenpool for apps and open-data portals. Visible ideas only; read-only;
no personal data (neither author nor supporters) and nothing of the idea's ticket."""

import django_filters
from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from participation.projects.api import FieldOfActionSerializer, NamedSerializer
from portal.core.api_fields import IdFilter
from portal.core.links import absolute_url, page_absolute_url
from portal.core.pagination import ApiPagination, PublicListMixin

from .constants import Sort, Stage, Step
from .models import PoolIdea
from .selectors import (
    idea_list_public,
    idea_sorted,
    idea_timeline,
    public_project_ids,
)

TAGS = ["Ideenpool"]


class IdeaStageField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Stage.choices, **kwargs)


class IdeaStageFieldExtension(OpenApiSerializerFieldExtension):
    """The stage as one named component, `IdeaStageEnum`, shared by the idea and its timeline
    (and distinct from the stages of other apps)."""

    target_class = IdeaStageField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="IdeaStageEnum",
            type=ResolvedComponent.SCHEMA,
            object="IdeaStageEnum",
            schema={
                "type": "string",
                "enum": list(Stage.values),
                "description": "\n".join(
                    f"* `{value}` – {label}" for value, label in Stage.choices
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class ProjectLinkSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="Titel des Vorhabens")
    url = serializers.URLField(help_text="Seite des Vorhabens im Portal")


class TimelineKind:
    """What kind of step a line of the timeline is (the API's stable vocabulary)."""

    SUBMITTED, STAGE, ANSWER = "eingereicht", "stufe", "antwort"
    CHOICES = [
        (SUBMITTED, "Idee eingereicht"),
        (STAGE, "neue Stufe"),
        (ANSWER, "Antwort der Verwaltung"),
        *Step.choices,
    ]


def timeline_kind(event) -> str:
    if event.public_status == Stage.SUBMITTED:
        return TimelineKind.SUBMITTED
    if event.public_status in Stage.values:
        return TimelineKind.STAGE
    if event.public_status in Step.values:
        return event.public_status
    return TimelineKind.ANSWER


class TimelineEntrySerializer(serializers.Serializer):
    """One public line of the idea's timeline (its ticket's timeline, in the Ideenpool's words)."""

    created_at = serializers.DateTimeField(read_only=True)
    kind = serializers.SerializerMethodField(help_text="Art des Schritts")
    label = serializers.CharField(read_only=True, help_text="Was geschah, in Worten")
    to_stage = serializers.SerializerMethodField(help_text="die neue Stufe; null = keine")
    text = serializers.CharField(
        source="public_message", read_only=True, help_text="öffentlicher Text; auch leer"
    )

    @extend_schema_field(serializers.ChoiceField(choices=TimelineKind.CHOICES))
    def get_kind(self, event) -> str:
        return timeline_kind(event)

    @extend_schema_field(IdeaStageField(allow_null=True))
    def get_to_stage(self, event) -> str | None:
        return event.public_status if event.public_status in Stage.values else None


class IdeaSerializer(serializers.ModelSerializer):
    # the input's fields (contributions.Idea), as the model's columns they were
    title = serializers.CharField(source="input.title", label="Titel", read_only=True)
    text = serializers.CharField(source="input.text", label="Beschreibung", read_only=True)
    stage = IdeaStageField(help_text="Stufe der Idee")
    stage_label = serializers.CharField(source="get_stage_display")
    stage_reason = serializers.CharField(
        help_text="Begründung der Stadt (bei „unzulässig“ und „nicht aufgenommen“); sonst leer"
    )
    field_of_action = FieldOfActionSerializer(help_text="Handlungsfeld")
    district = NamedSerializer(allow_null=True, help_text="Stadtteil; null = ganze Stadt")
    support_count = serializers.IntegerField(
        source="input.support_count", label="Unterstützungen", read_only=True
    )
    quorum = serializers.IntegerField(help_text="Unterstützungen, die das Quorum erreichen")
    url = serializers.SerializerMethodField(help_text="Seite der Idee im Portal")
    became = serializers.SerializerMethodField(help_text="das Vorhaben, das daraus wurde")
    improves = serializers.SerializerMethodField(help_text="das Vorhaben, das sie verbessert")

    class Meta:
        model = PoolIdea
        fields = [
            "id",
            "title",
            "text",
            "stage",
            "stage_label",
            "stage_reason",
            "field_of_action",
            "district",
            "submitted_at",
            "support_count",
            "support_ends_at",
            "quorum",
            "quorum_reached_at",
            "url",
            "became",
            "improves",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, idea) -> str:
        return absolute_url(idea.get_absolute_url())

    def _project(self, project):
        # only Vorhaben the public may see (the view looks them up once per page)
        if project is None or project.pk not in self.context.get("public_projects", set()):
            return None
        url = page_absolute_url(project, self.context.get("request"))
        return {"title": project.title, "url": url}

    @extend_schema_field(ProjectLinkSerializer(allow_null=True))
    def get_became(self, idea):
        return self._project(idea.became)

    @extend_schema_field(ProjectLinkSerializer(allow_null=True))
    def get_improves(self, idea):
        return self._project(idea.improves)


class IdeaDetailSerializer(IdeaSerializer):
    timeline = serializers.SerializerMethodField(help_text="öffentlicher Verlauf, älteste zuerst")

    class Meta(IdeaSerializer.Meta):
        fields = [*IdeaSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, idea):
        return TimelineEntrySerializer(idea_timeline(idea=idea), many=True).data


class IdeaFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="Stufe")  # IdeaStageEnum
    quorum_reached = django_filters.BooleanFilter(
        method="filter_quorum_reached", label="nur (true) oder keine (false) Ideen mit Quorum"
    )
    field_of_action = IdFilter(field_name="field_of_action_id", label="Id eines Handlungsfelds")
    district = IdFilter(field_name="input__district_id", label="Id eines Stadtteils")
    ordering = django_filters.ChoiceFilter(
        choices=Sort.choices,
        method="filter_ordering",
        label="Sortierung: neueste (Vorgabe), meiste Unterstützungen, Frist endet bald (nur "
        "Ideen, die man noch unterstützen kann)",
    )

    class Meta:
        model = PoolIdea
        fields = ["stage", "field_of_action", "district"]

    def filter_quorum_reached(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(quorum_reached_at__isnull=not value)

    def filter_ordering(self, queryset, name, value):
        return idea_sorted(queryset, sort=value) if value else queryset


@extend_schema_view(
    list=extend_schema(
        summary="Ideen im Ideenpool",
        description="Sichtbare Ideen mit Stufe, Unterstützungen und Quorum; neueste zuerst.",
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="Eine Idee mit ihrem öffentlichen Verlauf", tags=TAGS),
)
class IdeaViewSet(PublicListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = ApiPagination
    filterset_class = IdeaFilter
    # ASCII digits (the regex's \d would take any script's), no more than a database key holds
    lookup_value_regex = r"[0-9]{1,18}"

    def get_serializer_class(self):
        return IdeaDetailSerializer if self.action == "retrieve" else IdeaSerializer

    def get_queryset(self):
        return idea_list_public().select_related("improves", "became")

    def get_object(self):
        idea = self.get_queryset().filter(pk=self.kwargs[self.lookup_field]).first()
        if idea is None:
            raise Http404
        self.check_object_permissions(self.request, idea)
        return idea

    def get_serializer(self, *args, **kwargs):
        # the Vorhaben the ideas of this page or this idea link to: one lookup, not one per row
        instance = args[0] if args else kwargs.get("instance")
        ideas = instance if isinstance(instance, list) else [instance] if instance else []
        projects = {pk for idea in ideas for pk in (idea.improves_id, idea.became_id)}
        kwargs["context"] = {
            **self.get_serializer_context(),
            "public_projects": public_project_ids(projects),
        }
        return self.get_serializer_class()(*args, **kwargs)

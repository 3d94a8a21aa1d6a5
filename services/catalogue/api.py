"""`/api/v1/services/`: the service catalogue for apps and other portals. Published, public
service pages only; read-only."""

from django.utils.translation import gettext_lazy as _
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
    IdOrSlugLookupMixin,
    OptionalURLField,
    id_or_slug_parameter,
)
from portal.core.links import absolute_url, page_absolute_url
from portal.core.pagination import ApiPagination, PublicListMixin

from .models import ServicePage, Topic
from .selectors import (
    MAX_QUERY_LENGTH,
    service_attach_apply_pages,
    service_get_public,
    service_list_filtered,
)

TAGS = ["Leistungskatalog"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class ServiceDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField(help_text="Funktionspostfach des Fachbereichs")


class ServiceSerializer(serializers.ModelSerializer):
    title = serializers.CharField(help_text="Name der Leistung")
    url = serializers.SerializerMethodField(help_text="Seite der Leistung im Portal")
    topics = TopicSerializer(many=True, read_only=True, help_text="Lebenslagen")
    department = ServiceDepartmentSerializer(allow_null=True, help_text="zuständiger Fachbereich")
    # what the service page publishes: the schedule of its online form, else the page's fields
    fee_amount = serializers.DecimalField(
        source="published_fee_amount",
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="Gebühr in Euro (bei gestaffelten Gebühren die erste)",
    )
    fee_text = serializers.CharField(source="published_fee_text", help_text="Gebühren (Text)")
    apply_url = serializers.SerializerMethodField(
        help_text="Wo die Leistung online beantragt wird (externes Portal oder Formular)"
    )
    required_documents = serializers.SerializerMethodField(help_text="Benötigte Unterlagen")
    external_url = OptionalURLField(help_text="Externes Portal der Leistung; null = keines")

    class Meta:
        model = ServicePage
        fields = [
            "id",
            "slug",
            "title",
            "teaser",
            "url",
            "topics",
            "leika_key",
            "department",
            "is_online",
            "has_fee",
            "has_epayment",
            "fee_amount",
            "fee_text",
            "required_documents",
            "processing_time",
            "legal_basis",
            "external_url",
            "external_portal_name",
            "apply_url",
            "last_published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, service) -> str:
        return page_absolute_url(service, self.context.get("request"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_apply_url(self, service) -> str | None:
        url = service.apply_url()
        return absolute_url(url) if url is not None else None

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "note": {"type": "string"},
                },
                "required": ["name", "note"],
            },
        }
    )
    def get_required_documents(self, service) -> list[dict]:
        return [
            {"name": block.value["name"], "note": block.value["note"] or ""}
            for block in service.required_documents
            if block.block_type == "document"
        ]


class ServiceDetailSerializer(ServiceSerializer):
    description = serializers.SerializerMethodField(help_text="Beschreibung (HTML)")
    contact = serializers.CharField(help_text="Kontakt; leer = Fachbereich")

    class Meta(ServiceSerializer.Meta):
        fields = [*ServiceSerializer.Meta.fields, "description", "contact"]
        read_only_fields = fields

    def get_description(self, service) -> str:
        return expand_db_html(service.body) if service.body else ""


class ServiceQuerySerializer(serializers.Serializer):
    """The list's query parameters; a wrong value is a 400 with the field named."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages=SEARCH_MESSAGES,
        help_text="Suchbegriff (Name, Beschreibung, LeiKa-Schlüssel)",
    )
    topic = serializers.SlugField(
        required=False,
        error_messages={"invalid": _("Ein Kurzname besteht nur aus Buchstaben, Ziffern, - und _.")},
        help_text="Kurzname einer Lebenslage",
    )
    online = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="nur (true) oder keine (false) Online-Leistungen",
    )
    epayment = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="nur (true) oder keine (false) online bezahlbaren Leistungen",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Leistungen der Stadtverwaltung",
        description="Veröffentlichte Leistungen von A bis Z, mit Lebenslagen und Kennzahlen.",
        tags=TAGS,
        parameters=[ServiceQuerySerializer],
    ),
    retrieve=extend_schema(
        summary="Eine Leistung",
        tags=TAGS,
        parameters=[id_or_slug_parameter("Id (Ziffern) oder Kurzname (slug) der Leistung")],
    ),
)
class ServiceViewSet(PublicListMixin, IdOrSlugLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = ApiPagination
    filter_backends = []

    def get_serializer_class(self):
        return ServiceDetailSerializer if self.action == "retrieve" else ServiceSerializer

    def get_queryset(self):
        params = ServiceQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        topic = None
        if data.get("topic"):
            topic = Topic.objects.filter(slug=data["topic"]).first()
            if topic is None:
                return ServicePage.objects.none()
        return service_list_filtered(
            query=data.get("q", ""),
            topic=topic,
            online=data.get("online"),
            epayment=data.get("epayment"),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return service_attach_apply_pages(page) if page is not None else None

    def get_public(self, *, key: str):
        return service_get_public(key=key)

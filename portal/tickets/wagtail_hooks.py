from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, RoutingRule


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Kategorien")
    list_display = ["name", "default_department", "sla_days", BooleanColumn("is_active")]
    list_filter = ["is_active", "publish_mode"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class RoutingRuleViewSet(SnippetViewSet):
    model = RoutingRule
    icon = "resubmit"
    menu_label = _("Zuordnungsregeln")
    list_display = ["position", "name", "category", "district", "keyword", "department"]
    list_filter = ["department", "is_active"]
    ordering = ["position", "pk"]
    panels = [
        FieldRowPanel([FieldPanel("position"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("source_kind"), FieldPanel("category")]),
        FieldRowPanel([FieldPanel("district"), FieldPanel("keyword")]),
        FieldPanel("department"),
        FieldPanel("is_active"),
    ]


class TicketSetupGroup(SnippetViewSetGroup):
    menu_label = _("Anliegen einrichten")
    menu_icon = "cogs"
    menu_order = 310
    items = (CategoryViewSet, RoutingRuleViewSet)


register_snippet(TicketSetupGroup)

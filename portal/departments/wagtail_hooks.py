from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, District


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Fachbereiche")
    list_display = ["name", "short_name", "kind", "email", BooleanColumn("is_active")]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    ordering = ["name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("short_name"), FieldPanel("kind")]),
                FieldPanel("email"),
                FieldPanel("is_active"),
            ],
            heading=_("Fachbereich"),
        ),
        InlinePanel("memberships", heading=_("Mitarbeiter*innen"), label=_("Mitgliedschaft")),
    ]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = _("Stadtteile")
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = ["name"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
        FieldPanel("area"),
    ]


class CityAdministrationGroup(SnippetViewSetGroup):
    menu_label = _("Stadtverwaltung")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (DepartmentViewSet, DistrictViewSet)


register_snippet(CityAdministrationGroup)

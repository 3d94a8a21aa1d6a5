from django.urls import include, path, reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import admin_urls
from .admin.tools import can_test_rules
from .models import Category, RoutingRule


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("Kategorien")
    list_display = ["name", "default_department", "sla_days", BooleanColumn("is_active")]
    list_filter = ["is_active", "publish_mode"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


class RoutingRuleIndexView(IndexView):
    """The rule listing links to the tester, so editors try a rule set before relying on it."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_test_rules(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Regeln testen"),
                    url=reverse("tickets_admin:rules-test"),
                    icon_name="crosshairs",
                )
            )
        return buttons


class RoutingRuleViewSet(SnippetViewSet):
    model = RoutingRule
    index_view_class = RoutingRuleIndexView
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


# --- the back office: menu "Anliegen" and its pages under /admin/anliegen/ ------------------------
class PermissionMenuItem(MenuItem):
    """A menu item shown to users for whom `check(user)` holds."""

    def __init__(self, label, url, *, check, **kwargs):
        self.check = check
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return self.check(request.user)


class TicketMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.has_perm("tickets.access_queue") and super().is_shown(request)


@hooks.register("register_admin_urls")
def register_ticket_admin_urls():
    return [path("anliegen/", include(admin_urls, namespace="tickets_admin"))]


@hooks.register("register_admin_menu_item")
def register_ticket_menu():
    menu = Menu(
        items=[
            PermissionMenuItem(
                _("Warteschlange"),
                reverse_lazy("tickets_admin:queue"),
                name="anliegen-warteschlange",
                icon_name="clipboard-list",
                order=100,
                check=lambda user: user.has_perm("tickets.access_queue"),
            ),
            PermissionMenuItem(
                _("Statistik"),
                reverse_lazy("tickets_admin:statistics"),
                name="anliegen-statistik",
                icon_name="table",
                order=200,
                check=lambda user: user.has_perm("tickets.access_statistics"),
            ),
            PermissionMenuItem(
                _("Fehlgeschlagene Aufträge"),
                reverse_lazy("tickets_admin:failed"),
                name="anliegen-fehlgeschlagen",
                icon_name="warning",
                order=300,
                check=lambda user: user.has_perm("tickets.retry_failed_job"),
            ),
            PermissionMenuItem(
                _("Regeln testen"),
                reverse_lazy("tickets_admin:rules-test"),
                name="anliegen-regeln-testen",
                icon_name="crosshairs",
                order=400,
                check=can_test_rules,
            ),
            # the sources' own pages (the Mängelmelder's "Anliegen erfassen")
            *(make_item() for make_item in hooks.get_hooks("register_ticket_menu_item")),
        ]
    )
    return TicketMenuItem(
        _("Anliegen"), menu, name="anliegen", icon_name="clipboard-list", order=50
    )

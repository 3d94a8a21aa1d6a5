from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls
from .admin_views import can_moderate_any
from .models import ReasonTemplate


class ReasonTemplateViewSet(SnippetViewSet):
    model = ReasonTemplate
    icon = "comment"
    add_to_admin_menu = False
    menu_label = _("Begründungen")
    list_display = ["title", "sort_order"]
    ordering = ["sort_order", "title"]


register_snippet(ReasonTemplateViewSet)


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_any(request.user)


class ReasonTemplateMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("contributions.change_reasontemplate")


class ModerationMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return can_moderate_any(request.user) and super().is_shown(request)


@hooks.register("register_admin_urls")
def register_contributions_admin_urls():
    return [path("beteiligung/", include(admin_urls, namespace="contributions_admin"))]


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    menu = Menu(
        items=[
            ModeratorMenuItem(
                _("Moderation"),
                reverse_lazy("contributions_admin:overview"),
                name="beteiligung-moderation",
                icon_name="comment",
                order=100,
            ),
            ModeratorMenuItem(
                _("Protokoll"),
                reverse_lazy("contributions_admin:log"),
                name="beteiligung-protokoll",
                icon_name="history",
                order=200,
            ),
            ReasonTemplateMenuItem(
                _("Begründungen"),
                reverse_lazy("wagtailsnippets_contributions_reasontemplate:list"),
                name="beteiligung-begruendungen",
                icon_name="doc-full",
                order=300,
            ),
        ]
    )
    return ModerationMenu(_("Moderation"), menu, name="beteiligung", icon_name="comment", order=60)

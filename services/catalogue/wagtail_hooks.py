from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "list-ul"
    menu_label = _("Lebenslagen")
    menu_order = 330
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(TopicViewSet)


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("catalogue.view_figures")


@hooks.register("register_admin_urls")
def register_catalogue_admin_urls():
    from .admin_views import CatalogueFiguresView

    return [
        path(
            "leistungskatalog/kennzahlen/",
            CatalogueFiguresView.as_view(),
            name="catalogue_figures",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_catalogue_figures_menu_item():
    return FiguresMenuItem(
        _("Leistungskatalog – Kennzahlen"),
        reverse("catalogue_figures"),
        name="leistungskatalog-kennzahlen",
        icon_name="table",
        order=900,
    )

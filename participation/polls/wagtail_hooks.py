"""Polls in the Wagtail admin: edited as snippets (questions and choices inline), with links to
their results and to the entry of paper questionnaires."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .models import Poll
from .selectors import poll_list_for_staff


class PollIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.has_perm("polls.view_results", instance):
            buttons.append(
                MenuItem(
                    _("Ergebnisse"),
                    url=reverse("polls_admin:results", args=[instance.pk]),
                    icon_name="table",
                    priority=5,
                )
            )
        if user.has_perm("polls.add_offline_response", instance):
            buttons.append(
                MenuItem(
                    _("Papierbogen erfassen"),
                    url=reverse("polls_admin:offline-entry", args=[instance.pk]),
                    icon_name="doc-full",
                    priority=6,
                )
            )
        return buttons


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "list-ul"
    menu_label = _("Umfragen")
    menu_order = 330
    add_to_admin_menu = True
    index_view_class = PollIndexView
    list_display = [
        "title",
        Column("project", label=_("Vorhaben")),
        BooleanColumn("is_published", label=_("veröffentlicht")),
        "created_at",
    ]
    list_filter = ["is_published"]
    search_fields = ["title"]
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return poll_list_for_staff(user=request.user)


register_snippet(PollViewSet)


@hooks.register("register_admin_urls")
def register_poll_admin_urls():
    from .admin_views import PollOfflineEntryView, PollResultsView

    urls = [
        path("<int:pk>/ergebnisse/", PollResultsView.as_view(), name="results"),
        path("<int:pk>/papierbogen/", PollOfflineEntryView.as_view(), name="offline-entry"),
    ]
    return [path("umfragen/", include((urls, "polls_admin"), namespace="polls_admin"))]

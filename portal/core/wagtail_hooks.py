"""The kernel's pages in the Wagtail admin: the Löschprotokoll of the retention job."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .retention.admin_views import ErasureLogView


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("core.view_erasure_log")


@hooks.register("register_admin_urls")
def register_core_admin_urls():
    return [path("loeschprotokoll/", ErasureLogView.as_view(), name="core-erasure-log")]


@hooks.register("register_settings_menu_item")
def register_erasure_log_menu_item():
    return PermissionMenuItem(
        _("Löschprotokoll"),
        reverse_lazy("core-erasure-log"),
        name="loeschprotokoll",
        icon_name="bin",
        order=900,
    )

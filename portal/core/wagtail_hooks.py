"""The kernel's pages in the Wagtail admin: the Löschprotokoll of the retention job and the
Datenschutz-Anfragen (a person's data by e-mail address: copy and erasure)."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .mydata.admin_views import DataRequestsView
from .retention.admin_views import ErasureLogView


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_core_admin_urls():
    return [
        path("loeschprotokoll/", ErasureLogView.as_view(), name="core-erasure-log"),
        path("datenschutz-anfragen/", DataRequestsView.as_view(), name="core-data-requests"),
    ]


@hooks.register("register_settings_menu_item")
def register_data_requests_menu_item():
    return PermissionMenuItem(
        _("Datenschutz-Anfragen"),
        reverse_lazy("core-data-requests"),
        name="datenschutz-anfragen",
        icon_name="user",
        order=890,
        permission="core.manage_data_requests",
    )


@hooks.register("register_settings_menu_item")
def register_erasure_log_menu_item():
    return PermissionMenuItem(
        _("Löschprotokoll"),
        reverse_lazy("core-erasure-log"),
        name="loeschprotokoll",
        icon_name="bin",
        order=900,
        permission="core.view_erasure_log",
    )

"""The Ideenpool in the Wagtail admin: the menu "Ideenpool", its pages under /admin/ideenpool/."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls
from .admin_views import is_pool_staff, may_view_admin


class PoolMenuItem(MenuItem):
    """Shown to people for whom `check(user)` holds."""

    def __init__(self, label, url, *, check, **kwargs):
        self.check = check
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return self.check(request.user)


class PoolMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return may_view_admin(request.user) and super().is_shown(request)


@hooks.register("register_admin_urls")
def register_ideas_admin_urls():
    return [path("ideenpool/", include(admin_urls, namespace="ideas_admin"))]


@hooks.register("register_admin_menu_item")
def register_pool_menu():
    menu = Menu(
        items=[
            PoolMenuItem(
                _("Ideen"),
                reverse_lazy("ideas_admin:list"),
                name="ideenpool-ideen",
                icon_name="pick",
                order=100,
                check=may_view_admin,
            ),
            PoolMenuItem(
                _("Ratsliste"),
                reverse_lazy("ideas_admin:council"),
                name="ideenpool-ratsliste",
                icon_name="list-ol",
                order=200,
                check=may_view_admin,
            ),
            PoolMenuItem(
                _("Kennzahlen"),
                reverse_lazy("ideas_admin:kpis"),
                name="ideenpool-kennzahlen",
                icon_name="table",
                order=300,
                check=may_view_admin,
            ),
            PoolMenuItem(
                _("Idee erfassen (MitMachBüro)"),
                reverse_lazy("ideas_admin:offline"),
                name="ideenpool-erfassen",
                icon_name="plus",
                order=400,
                check=is_pool_staff,
            ),
        ]
    )
    return PoolMenu(_("Ideenpool"), menu, name="ideenpool", icon_name="pick", order=65)

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls


class PaymentMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("payments.access_payments")


@hooks.register("register_admin_urls")
def register_payment_admin_urls():
    return [path("zahlungen/", include(admin_urls, namespace="payments_admin"))]


@hooks.register("register_admin_menu_item")
def register_payment_menu():
    return PaymentMenuItem(
        _("Zahlungen"),
        reverse_lazy("payments_admin:list"),
        name="zahlungen",
        icon_name="form",
        order=60,
    )


@hooks.register("register_permissions")
def register_payment_permissions():
    """Offered on Wagtail's group editor: "view payment" to see, "add refund" to refund."""
    return Permission.objects.filter(
        content_type__app_label="payments", codename__in=["view_payment", "add_refund"]
    )

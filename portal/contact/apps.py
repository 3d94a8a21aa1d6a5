from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "portal.contact"
    label = "contact"
    verbose_name = _("Anliegen an die Stadt")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        from .constants import ContactKind

        for kind in ContactKind:
            register_source_kind(kind.value, kind.label)

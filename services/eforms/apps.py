from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EformsConfig(AppConfig):
    name = "services.eforms"
    label = "eforms"
    verbose_name = _("Online-Anträge")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        register_source_kind("antrag", _("Online-Antrag"))
        from . import receivers

        receivers.connect()

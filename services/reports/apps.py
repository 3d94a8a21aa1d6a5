from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "services.reports"
    label = "reports"
    verbose_name = _("Mängelmelder")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        register_source_kind("maengel", _("Mängelmeldung"))
        from portal.core.subscriptions.registry import register

        from . import signals
        from .area_alerts import AREA_ALERTS
        from .follow import FOLLOW

        register(FOLLOW)
        register(AREA_ALERTS)
        signals.connect()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EformsConfig(AppConfig):
    name = "services.eforms"
    label = "eforms"
    verbose_name = _("Online-Anträge")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        register_source_kind("antrag", _("Online-Antrag"))
        from portal.core.online_forms import OnlineFormProvider, register_online_forms

        from .registry import fee_schedule, form_choices

        # the catalogue offers these forms on its pages and publishes their fees
        register_online_forms(OnlineFormProvider(choices=form_choices, fee_schedule=fee_schedule))
        from . import receivers

        receivers.connect()

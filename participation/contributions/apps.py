from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "participation.contributions"
    label = "contributions"
    verbose_name = _("Beiträge und Moderation")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        register_source_kind("beteiligung", _("Beitrag aus der Beteiligung"))

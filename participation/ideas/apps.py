from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "participation.ideas"
    label = "ideas"
    verbose_name = _("Ideenpool")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        from .constants import SOURCE_KIND

        register_source_kind(SOURCE_KIND, _("Idee aus dem Ideenpool"))
        from . import signals  # noqa: F401  (department answers become the idea's timeline)

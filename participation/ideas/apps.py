from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "participation.ideas"
    label = "ideas"
    verbose_name = _("Ideenpool")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        from .constants import PUBLIC_STATUS_LABELS, SOURCE_KIND

        # an idea's stages and steps are the public statuses of its ticket: one timeline
        register_source_kind(
            SOURCE_KIND, _("Idee aus dem Ideenpool"), statuses=PUBLIC_STATUS_LABELS
        )
        from participation.contributions.targets import register_target

        from .target import POOL_IDEA_TARGET

        register_target(POOL_IDEA_TARGET)
        from portal.core.subscriptions.registry import register

        from . import signals  # noqa: F401  (department answers owe the supporters an e-mail)
        from .notices import IDEA_KIND

        register(IDEA_KIND)  # the e-mails to an idea's author and supporters

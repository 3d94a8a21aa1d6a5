from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        # the outbox's context builders of subscriptions (confirmation e-mails, notices)
        # every app's declaration of the personal data its models hold
        from .privacy import autodiscover
        from .subscriptions import emails  # noqa: F401

        autodiscover()

        # every app's sections of the public figures (/zahlen/)
        from .figures import autodiscover as figures_autodiscover

        figures_autodiscover()

        # every app's datasets of the open data (/offene-daten/)
        from .opendata import autodiscover as opendata_autodiscover
        from .opendata import figures_data  # noqa: F401  (the figures as a dataset)

        opendata_autodiscover()

        # stored public pages are thrown away when what they show changes (portal.core.pagecache)
        from .pagecache import connect_signals

        connect_signals()

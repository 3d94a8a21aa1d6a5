from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "participation.polls"
    label = "polls"
    verbose_name = _("Umfragen")

    def ready(self):
        from participation.projects.sections import register_page_context

        from .selectors import project_context

        register_page_context(project_context)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "participation.polls"
    label = "polls"
    verbose_name = _("Umfragen")

    def ready(self):
        from participation.projects.sections import register_page_context, register_page_questions

        from .selectors import project_context, project_questions

        register_page_questions(project_questions)
        register_page_context(project_context)

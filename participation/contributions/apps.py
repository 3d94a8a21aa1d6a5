from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContributionsConfig(AppConfig):
    name = "participation.contributions"
    label = "contributions"
    verbose_name = _("Beiträge und Moderation")

    def ready(self):
        from portal.tickets.sources import register_source_kind

        from .project_target import PROJECT_TARGET
        from .targets import register_target

        register_source_kind("beteiligung", _("Beitrag aus der Beteiligung"))
        register_target(PROJECT_TARGET)

        from participation.projects.sections import register_page_context, register_page_questions

        from .selectors import project_context, project_questions

        register_page_questions(project_questions)
        register_page_context(project_context)

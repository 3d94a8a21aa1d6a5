from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "participation.following"
    label = "following"
    verbose_name = _("Folgen und Mitmachpool")

    def ready(self):
        from portal.core.subscriptions.registry import register

        from .kinds import POOL_KIND, PROJECT_KIND

        register(PROJECT_KIND)
        register(POOL_KIND)

        from participation.projects.sections import register_page_questions

        from .selectors import project_questions

        register_page_questions(project_questions)

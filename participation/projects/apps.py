from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "participation.projects"
    label = "projects"
    verbose_name = _("Vorhaben und Beteiligung")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.departments.models import DepartmentMembership

        from .models import ParticipationBlock
        from .rules import forget_remembered

        # what the permission rules keep for a request (rules._remembered) is asked again
        for model in (ParticipationBlock, DepartmentMembership, Group):
            for signal in (post_save, post_delete):
                signal.connect(forget_remembered, sender=model, dispatch_uid=f"rules-{model}")
        m2m_changed.connect(
            forget_remembered, sender=get_user_model().groups.through, dispatch_uid="rules-groups"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "participation.following"
    label = "following"
    verbose_name = _("Folgen und Mitmachpool")

"""A pool idea as a discussion target (participation.contributions.targets): comments, "Melden",
auto-hide and moderation with the reason e-mailed to the author, as on a Vorhaben. All pool
ideas share one moderation queue, moderated by the MitMachBüro (Moderation group) and admins."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.contributions.selectors import Refusal, account_refusal
from participation.contributions.targets import TargetKind

from .models import PoolIdea

TARGET_KEY = "ideenpool"


def _comment_refusal(user, idea: PoolIdea) -> Refusal | None:
    if not idea.is_visible:
        return Refusal("closed", _("Diese Idee kann nicht kommentiert werden."))
    return account_refusal(user)


def _may_moderate(user, idea: PoolIdea | None) -> bool:
    """The MitMachBüro and admins (pool staff), for every idea; the answer is the one the admin
    menu keeps on the user object of the request."""
    from .admin_views import is_pool_staff

    return is_pool_staff(user)


POOL_IDEA_TARGET = TargetKind(
    key=TARGET_KEY,
    model=PoolIdea,
    label=gettext_lazy("Ideenpool"),
    title=lambda idea: idea.public_title,
    url=lambda idea: idea.get_absolute_url(),
    is_public=lambda idea: True,  # its page exists in every state (hidden: a placeholder)
    comment_refusal=_comment_refusal,
    may_moderate=_may_moderate,
    queue=True,
)

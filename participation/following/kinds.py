"""What following and the Mitmachpool declare to the kernel's subscriptions
(portal.core.subscriptions): their links, their confirmation e-mails, and what every e-mail says
about the project or the choice. Registered in `FollowingConfig.ready()`."""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participation.projects.constants import Module
from participation.projects.models import FieldOfAction, Phase, ProjectPage, ProjectUpdate
from portal.core.links import absolute_url, page_absolute_url
from portal.core.subscriptions.registry import SubscriptionKind
from portal.core.subscriptions.services import link, manage_code
from portal.departments.models import District

from .constants import POOL, PROJECT, NoticeKind


def project_url(project) -> str:
    return page_absolute_url(project) or absolute_url("/")


def settings_url(subscription) -> str:
    return link("following:pool-settings", manage_code(subscription))


def choice(subscription) -> dict:
    """The chosen Handlungsfelder and Stadtteile by name (none: all)."""
    scope = subscription.scope or {}
    fields = FieldOfAction.objects.filter(pk__in=scope.get("fields_of_action") or [])
    districts = District.objects.filter(pk__in=scope.get("districts") or [])
    return {
        "fields_of_action": [str(f) for f in fields.order_by("code")],
        "districts": [d.name for d in districts.order_by("name")],
    }


def _project_context(subscription) -> dict | None:
    project = _project(subscription)
    if project is None:
        return None  # unpublished or deleted: nothing to say
    return {"project": project, "project_url": project_url(project)}


def _pool_context(subscription) -> dict:
    return {"settings_url": settings_url(subscription), "choice": choice(subscription)}


def _notice(ids: dict) -> dict | None:
    """What a notice is about (a phase, an update, the result) from the ids it was owed with."""
    kind = ids.get("notice")
    project = ProjectPage.objects.live().filter(pk=ids.get("project")).first()
    if project is None:
        return None
    context = {"kind": kind, "project": project, "project_url": project_url(project)}
    context.update(phase=None, update=None, result_text="")
    if kind in (NoticeKind.PHASE, NoticeKind.PARTICIPATION):
        phase = Phase.objects.filter(pk=ids.get("phase"), project=project).first()
        if phase is None:
            return None  # deleted before the e-mail went out
        context["phase"] = phase
        context["modules"] = [
            str(Module(m).label) for m in phase.modules or [] if m in Module.values
        ]
    elif kind == NoticeKind.UPDATE:
        context["update"] = ProjectUpdate.objects.filter(
            pk=ids.get("update"), project=project
        ).first()
        if context["update"] is None:
            return None
    elif kind == NoticeKind.RESULT:
        context["result_text"] = strip_tags(project.result or "").strip()
        if not context["result_text"]:
            return None
    else:
        return None
    return context


def _project_notice_context(subscription, ids: dict) -> dict | None:
    return _notice(ids)


def _pool_notice_context(subscription, ids: dict) -> dict | None:
    if ids.get("notice") == "settings-link":
        return {}
    return _notice(ids)


def _project(subscription):
    return ProjectPage.objects.live().filter(pk=subscription.target_id).first()


def _project_describe(subscription) -> str:
    project = _project(subscription)
    return project.title if project else ""


def _project_back_url(subscription) -> str | None:
    project = _project(subscription)
    return f"{project.url}#folgen" if project else None


def _project_question(subscription) -> str:
    return _(
        "Möchten Sie per E-Mail erfahren, wie es mit dem Vorhaben „%(title)s“ weitergeht? Dann "
        "bestätigen Sie bitte."
    ) % {"title": _project_describe(subscription)}


PROJECT_KIND = SubscriptionKind(
    name=PROJECT,
    confirm_url_name="following:follow-confirm",
    unsubscribe_url_name="following:follow-unsubscribe",
    confirm_template="emails/following/follow_confirm",
    context=_project_context,
    notice_context=_project_notice_context,
    describe=_project_describe,
    back_url=_project_back_url,
    back_label=gettext_lazy("Zum Vorhaben"),
    confirm_heading=gettext_lazy("Vorhaben folgen"),
    confirm_question=_project_question,
    confirm_button=gettext_lazy("Ja, ich möchte diesem Vorhaben folgen"),
    confirmed_message=gettext_lazy(
        "Danke! Sie folgen jetzt diesem Vorhaben und erhalten bei Neuigkeiten eine E-Mail."
    ),
)

POOL_KIND = SubscriptionKind(
    name=POOL,
    confirm_url_name="following:pool-confirm",
    unsubscribe_url_name="following:pool-unsubscribe",
    confirm_template="emails/following/pool_confirm",
    context=_pool_context,
    notice_context=_pool_notice_context,
)

"""Moderation in the Wagtail admin, under /admin/beteiligung/ (namespace `contributions_admin`):
the projects with what waits for a decision, a project's queue, one contribution with its reports
and the decisions on it, offline input (MitMachBüro), and the audit log."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from participation.projects.models import ProjectPage
from portal.core.admin_views import BackOfficeView, paginate
from portal.core.errors import ApplicationError

from . import moderation
from .admin_forms import BlockForm, HideForm, OfflineForm, RestoreForm, TicketForm, UnblockForm
from .constants import MODERATION_WORKFLOW, ContributionKind, ModerationState
from .selectors import (
    QUEUE_FILTERS,
    contribution_get,
    may_moderate_any,
    moderated_logs_q,
    moderation_log_list,
    moderation_overview,
    moderation_queue,
    project_list_for_moderator,
    report_list,
    shared_queues_for_moderator,
    target_title,
    target_url,
)
from .targets import kind_by_key


def can_moderate_any(user) -> bool:
    return may_moderate_any(user)


class ModerationAdminView(BackOfficeView):
    """A moderation page: only for people who moderate at least one project."""

    header_icon = "comment"
    section = (gettext_lazy("Moderation"), "contributions_admin:overview")

    def has_permission(self, request) -> bool:
        return can_moderate_any(request.user)


def _project_for(user, project_id: int, *, perm: str = "projects.moderate") -> ProjectPage:
    project = get_object_or_404(ProjectPage, pk=project_id)
    if not user.has_perm(perm, project):
        raise Http404  # a foreign project does not even reveal that it exists
    return project


class OverviewView(ModerationAdminView):
    template_name = "contributions/admin/overview.html"
    page_title = gettext_lazy("Moderation der Beteiligung")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(
                **paginate(request, moderation_overview(request.user)),
                shared_queues=shared_queues_for_moderator(request.user),
            )
        )


QUEUE_FILTER_LABELS = [
    ("alle", gettext_lazy("alle")),
    ("gemeldet", gettext_lazy("gemeldet")),
    ("ausgeblendet", gettext_lazy("ausgeblendet")),
    ("offline", gettext_lazy("offline eingegangen")),
]


def _show(request) -> str:
    show = request.GET.get("zeigen", "alle")
    return show if show in QUEUE_FILTERS else "alle"


class QueueView(ModerationAdminView):
    template_name = "contributions/admin/queue.html"

    def load(self, request, project_id):
        self.project = _project_for(request.user, project_id)

    def get_page_title(self):
        return _("Beiträge: %(title)s") % {"title": self.project.title}

    def get(self, request, project_id):
        show = _show(request)
        return self.render_to_response(
            self.get_context_data(
                **paginate(request, moderation_queue(project=self.project, show=show)),
                project=self.project,
                show=show,
                filters=QUEUE_FILTER_LABELS,
                may_enter_offline=request.user.has_perm(
                    "projects.add_offline_contribution", self.project
                ),
            )
        )


class KindQueueView(ModerationAdminView):
    """The one queue of a target kind whose targets share it (the Ideenpool): every row links
    to its target."""

    template_name = "contributions/admin/queue.html"

    def load(self, request, kind_key):
        kind = kind_by_key(kind_key)
        if kind is None or not kind.queue or not kind.may_moderate(request.user, None):
            raise Http404
        self.kind = kind

    def get_page_title(self):
        return _("Beiträge: %(label)s") % {"label": self.kind.label}

    def get(self, request, kind_key):
        show = _show(request)
        page = paginate(request, moderation_queue(kind=self.kind, show=show))
        for item in page["rows"]:
            item.target_title = target_title(item.target)
            item.target_url = target_url(item.target)
        return self.render_to_response(
            self.get_context_data(**page, kind=self.kind, show=show, filters=QUEUE_FILTER_LABELS)
        )


class ContributionView(ModerationAdminView):
    """One contribution: its text, reports, decisions, and a form per action."""

    template_name = "contributions/admin/contribution.html"

    def load(self, request, kind, pk):
        contribution = contribution_get(kind=kind, pk=pk, public=False)
        if contribution is None or not request.user.has_perm(
            "contributions.moderate_contribution", contribution
        ):
            raise Http404
        self.contribution = contribution

    def get_page_title(self):
        return _("%(kind)s moderieren") % {"kind": self.contribution.kind_label}

    @cached_property
    def queue(self) -> dict:
        """The queue this contribution is listed in: its project's, or its kind's."""
        contribution = self.contribution
        project = contribution.project
        if project is not None:
            return {
                "url": reverse("contributions_admin:queue", args=[project.pk]),
                "label": project.title,
            }
        kind = contribution.target_kind
        return {
            "url": reverse("contributions_admin:kind-queue", args=[kind.key]),
            "label": str(kind.label),
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("contributions_admin:overview"), "label": _("Moderation")},
            self.queue,
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def url(self) -> str:
        return reverse(
            "contributions_admin:contribution", args=[self.contribution.kind, self.contribution.pk]
        )

    def build_forms(self, bound: dict | None = None) -> dict:
        contribution = self.contribution
        state = contribution.state
        may_block = contribution.author_id is not None and not contribution.is_offline
        forms = {
            "hide": HideForm() if MODERATION_WORKFLOW.can(state, ModerationState.HIDDEN) else None,
            # on a visible contribution, "restore" dismisses its open reports
            "restore": RestoreForm()
            if MODERATION_WORKFLOW.can(state, ModerationState.VISIBLE)
            or (state == ModerationState.VISIBLE and contribution.open_report_count)
            else None,
            "ticket": TicketForm()
            if contribution.ticket_id is None and state != ModerationState.DELETED
            else None,
            "block": BlockForm() if may_block else None,
        }
        forms.update(bound or {})
        return forms

    def render_page(self, *, bound: dict | None = None, status: int = 200):
        contribution = self.contribution
        author_block = None
        if contribution.author_id is not None:
            from participation.projects.models import ParticipationBlock

            author_block = ParticipationBlock.objects.filter(user_id=contribution.author_id).first()
        target = contribution.target
        context = self.get_context_data(
            contribution=contribution,
            project=contribution.project,
            queue=self.queue,
            target_label=contribution.target_kind.label,
            target_title=target_title(target),
            target_url=target_url(target),
            forms=self.build_forms(bound),
            reports=list(report_list(contribution=contribution)[:200]),
            logs=list(moderation_log_list(contribution=contribution)[:200]),
            author_block=author_block,
            unblock_form=UnblockForm() if author_block else None,
            action_url=self.url,
        )
        return self.render_to_response(context, status=status)

    def get(self, request, kind, pk):
        return self.render_page()


class ContributionActionView(ContributionView):
    """POST only: parse one form, call one service, report with Wagtail messages."""

    http_method_names = ["post"]
    form_key: str
    form_class: type
    success_message = ""

    def post(self, request, kind, pk):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(form.cleaned_data)
            except ApplicationError as error:
                if error.field and error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(request, self.success_message)
                return redirect(self.url)
        messages.error(
            request, _("Die Aktion wurde nicht ausgeführt. Bitte prüfen Sie die Angaben.")
        )
        return self.render_page(bound={self.form_key: form}, status=400)

    def perform(self, data) -> None:  # pragma: no cover - every action overrides it
        raise NotImplementedError


class HideView(ContributionActionView):
    form_key = "hide"
    form_class = HideForm
    success_message = gettext_lazy(
        "Der Beitrag ist ausgeblendet. Die Verfasserin oder der Verfasser erhält die Begründung "
        "per E-Mail."
    )

    def perform(self, data):
        moderation.contribution_hide(
            actor=self.request.user, contribution=self.contribution, reason=data["reason"]
        )


class RestoreView(ContributionActionView):
    form_key = "restore"
    form_class = RestoreForm
    success_message = gettext_lazy("Der Beitrag ist sichtbar; die Meldungen sind erledigt.")

    def perform(self, data):
        moderation.contribution_restore(
            actor=self.request.user, contribution=self.contribution, note=data["note"]
        )


class TicketView(ContributionActionView):
    form_key = "ticket"
    form_class = TicketForm

    def perform(self, data):
        ticket, created = moderation.contribution_to_ticket(
            actor=self.request.user, contribution=self.contribution, category=data["category"]
        )
        if created:
            self.success_message = _("Als Anliegen %(number)s an die Verwaltung weitergegeben.") % {
                "number": ticket.number
            }
        else:
            self.success_message = _(
                "Dieser Beitrag war bereits als Anliegen %(number)s weitergegeben."
            ) % {"number": ticket.number}


class BlockView(ContributionActionView):
    form_key = "block"
    form_class = BlockForm
    success_message = gettext_lazy(
        "Die Person ist für die Beteiligung gesperrt und erhält die Begründung per E-Mail."
    )

    def perform(self, data):
        moderation.participant_block(
            actor=self.request.user,
            target=self.contribution.target,
            user=self.contribution.author,
            reason=data["reason"],
            until=data["until"],
        )


class UnblockView(ContributionActionView):
    form_key = "unblock"
    form_class = UnblockForm
    success_message = gettext_lazy("Die Sperre ist aufgehoben.")

    def perform(self, data):
        moderation.participant_unblock(
            actor=self.request.user,
            target=self.contribution.target,
            user=self.contribution.author,
            note=data["note"],
        )


class OfflineEntryView(ModerationAdminView):
    """MitMachBüro: enter an idea or comment that came by letter, phone or at an event."""

    template_name = "contributions/admin/offline.html"

    def load(self, request, project_id):
        self.project = _project_for(
            request.user, project_id, perm="projects.add_offline_contribution"
        )

    def get_page_title(self):
        return _("Offline-Beitrag erfassen: %(title)s") % {"title": self.project.title}

    def render_form(self, form, status: int = 200):
        return self.render_to_response(
            self.get_context_data(project=self.project, form=form), status=status
        )

    def get(self, request, project_id):
        return self.render_form(OfflineForm(project=self.project))

    def post(self, request, project_id):
        form = OfflineForm(request.POST, project=self.project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution = moderation.offline_contribution_enter(
                    actor=request.user,
                    project=self.project,
                    kind=data["kind"],
                    channel=data["channel"],
                    text=data["text"],
                    title=data["title"],
                    idea=data["idea"] if data["kind"] == ContributionKind.COMMENT else None,
                    citizen_name=data["citizen_name"],
                )
            except ApplicationError as error:
                if error.field and error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(kind)s erfasst. Sie erscheint auf der Seite des Vorhabens mit dem "
                      "Hinweis „%(channel)s“.")
                    % {"kind": contribution.kind_label, "channel": contribution.channel_received},
                )  # fmt: skip
                return redirect(reverse("contributions_admin:offline", args=[self.project.pk]))
        return self.render_form(form, status=400)


class LogView(ModerationAdminView):
    template_name = "contributions/admin/log.html"
    page_title = gettext_lazy("Moderationsprotokoll")

    def get(self, request):
        projects = project_list_for_moderator(request.user)
        project = None
        project_id = request.GET.get("vorhaben")
        if project_id and project_id.isdigit():
            project = projects.filter(pk=int(project_id)).first()
        logs = moderation_log_list(target=project).select_related("idea", "comment")
        if project is None:
            logs = logs.filter(moderated_logs_q(request.user, projects))
        return self.render_to_response(
            self.get_context_data(
                **paginate(request, logs),
                project=project,
                project_choices=list(projects.order_by("title").values_list("pk", "title")),
            )
        )

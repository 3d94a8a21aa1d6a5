"""The Ideenpool's back office in the Wagtail admin, under /admin/ideenpool/ (namespace
`ideas_admin`): the ideas a person handles, one idea with its actions (Vorprüfung and the next
stages, the Vorhaben it became, hiding), the council list and its CSV, the KPIs, and the entry
of ideas that reached the MitMachBüro offline.

Who sees what comes from rules.py: pool staff (MitMachBüro, ticket admins) every idea, department
staff the ideas whose ticket is routed to one of their departments."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from participation.contributions.constants import ModerationState
from portal.core.admin_views import BackOfficeView, paginate
from portal.core.errors import ApplicationError
from portal.tickets.selectors import user_department_ids, user_is_ticket_admin

from . import kpis, services
from .admin_forms import HideForm, OfflineIdeaForm, ProjectLinkForm, RestoreForm, StageForm
from .constants import STAGE_ORDER, STAGE_WORKFLOW, Stage
from .models import PoolIdea
from .rules import allowed
from .selectors import idea_timeline

SEARCH_MAX = 100


# --- who ------------------------------------------------------------------------------------------
def _allowed_cached(user, permission: str) -> bool:
    """`allowed(permission, user)`, remembered on the user object of the request: the admin menu
    asks several times per page, and the rule behind it costs a query each time."""
    if not (user and user.is_authenticated):
        return False
    cache = user.__dict__.setdefault("_ideas_permissions", {})
    if permission not in cache:
        cache[permission] = allowed(permission, user)
    return cache[permission]


def is_pool_staff(user) -> bool:
    """MitMachBüro and admins: every idea, offline entry, hiding."""
    return _allowed_cached(user, "ideas.enter_offline")


def may_view_admin(user) -> bool:
    # pool staff may (rules.py: view_admin = pool staff | department staff), so ask once
    return is_pool_staff(user) or _allowed_cached(user, "ideas.view_admin")


def ticket_url_for(user, ticket) -> str:
    """The ticket's back-office page, if this person may open it (else ""). No query per call:
    the department ids are cached on the user."""
    if ticket is None:
        return ""
    if user_is_ticket_admin(user) or ticket.department_id in user_department_ids(user):
        return reverse("tickets_admin:detail", args=[ticket.pk])
    return ""


# --- reads of the back office (the public list lives in selectors.py) -----------------------------
def admin_idea_list(*, user, stage: str = "", query: str = "") -> QuerySet[PoolIdea]:
    """The ideas this person handles: all for pool staff, else those whose ticket is routed to
    one of their departments. Newest first; everything a row shows comes in the same query."""
    ideas = PoolIdea.objects.select_related("input__ticket__department").order_by(
        "-submitted_at", "-pk"
    )
    if not is_pool_staff(user):
        ideas = ideas.filter(input__ticket__department_id__in=user_department_ids(user))
    if stage:
        ideas = ideas.filter(stage=stage)
    if query:
        ideas = ideas.filter(input__title__icontains=query)
    return ideas


def admin_idea_get(pk: int) -> PoolIdea:
    return get_object_or_404(
        PoolIdea.objects.select_related(
            "input__ticket__department",
            "field_of_action",
            "input__district",
            "input__author",
            "input__entered_by",
            "improves",
            "became",
        ),
        pk=pk,
    )


# --- views ----------------------------------------------------------------------------------------
class PoolAdminView(BackOfficeView):
    """A page of the Ideenpool's back office; `permission` decides who gets past the door
    (others get Wagtail's "permission denied": back to the dashboard with a message)."""

    permission = "ideas.view_admin"
    header_icon = "pick"
    section = (gettext_lazy("Ideenpool"), "ideas_admin:list")

    def has_permission(self, request) -> bool:
        return _allowed_cached(request.user, self.permission)


def stage_filter_choices() -> list[tuple[str, str]]:
    labels = {Stage.SUBMITTED: _("eingereicht – wartet auf Vorprüfung")}
    return [(stage.value, labels.get(stage, stage.label)) for stage in STAGE_ORDER]


class IdeaListView(PoolAdminView):
    template_name = "ideas/admin/list.html"
    page_title = gettext_lazy("Ideen im Ideenpool")

    def get(self, request):
        stage = request.GET.get("stufe", "")
        if stage not in Stage.values:
            stage = ""
        query = request.GET.get("q", "").strip()[:SEARCH_MAX]
        ideas = admin_idea_list(user=request.user, stage=stage, query=query)
        context = paginate(request, ideas)
        for idea in context["rows"]:
            idea.admin_ticket_url = ticket_url_for(request.user, idea.ticket)
        return self.render_to_response(
            self.get_context_data(
                **context,
                stage=stage,
                query=query,
                stage_choices=stage_filter_choices(),
                pool_staff=is_pool_staff(request.user),
                now=timezone.now(),
            )
        )


class IdeaDetailView(PoolAdminView):
    """One idea: everything about it, its public timeline, and one form per action."""

    template_name = "ideas/admin/detail.html"

    def load(self, request, pk):
        self.idea = admin_idea_get(pk)
        if not allowed("ideas.handle", request.user, self.idea):
            raise PermissionDenied

    def get_page_title(self):
        return _("Idee: %(title)s") % {"title": self.idea.title}

    @cached_property
    def url(self) -> str:
        return reverse("ideas_admin:detail", args=[self.idea.pk])

    @cached_property
    def pool_staff(self) -> bool:
        return is_pool_staff(self.request.user)

    def build_forms(self, bound: dict | None = None) -> dict:
        idea = self.idea
        closed = idea.stage in (Stage.INADMISSIBLE, Stage.REJECTED)
        forms = {
            "stage": StageForm(idea=idea) if STAGE_WORKFLOW.allowed(idea.stage) else None,
            "project": ProjectLinkForm(initial={"project": idea.became_id})
            if not closed or idea.became_id
            else None,
            "hide": HideForm()
            if self.pool_staff
            and idea.state in (ModerationState.VISIBLE, ModerationState.AUTO_HIDDEN)
            else None,
            "restore": RestoreForm()
            if self.pool_staff
            and idea.state in (ModerationState.HIDDEN, ModerationState.AUTO_HIDDEN)
            else None,
        }
        forms.update(bound or {})
        return forms

    def render_page(self, *, bound: dict | None = None, status: int = 200):
        idea = self.idea
        forms = self.build_forms(bound)
        context = self.get_context_data(
            idea=idea,
            forms=forms,
            is_precheck=idea.stage == Stage.SUBMITTED,
            events=idea_timeline(idea=idea, for_staff=True),
            ticket_url=ticket_url_for(self.request.user, idea.ticket),
            public_url=idea.get_absolute_url(),
            pool_staff=self.pool_staff,
            now=timezone.now(),
        )
        return self.render_to_response(context, status=status)

    def get(self, request, pk):
        return self.render_page()


def status_for(error: ApplicationError) -> int:
    if isinstance(error, services.IdeaRefused):
        return 403
    if isinstance(error, services.AlreadyDone):
        return 409
    return 400


class IdeaActionView(IdeaDetailView):
    """POST only: parse one form, call one service, report with Wagtail messages; a refusal is
    shown with the service's own words on the page (400, 403 or 409)."""

    http_method_names = ["post"]
    form_key: str
    form_class: type
    action_permission = "ideas.handle"

    def load(self, request, pk):
        super().load(request, pk=pk)
        if not allowed(self.action_permission, request.user, self.idea):
            raise PermissionDenied

    def make_form(self, data):
        return self.form_class(data)

    def post(self, request, pk):
        form = self.make_form(request.POST)
        status = 400
        if form.is_valid():
            try:
                message = self.perform(form.cleaned_data)
            except ApplicationError as error:
                status = status_for(error)
                if error.field and error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(request, message)
                return redirect(self.url)
        messages.error(
            request, _("Die Aktion wurde nicht ausgeführt. Bitte prüfen Sie die Angaben.")
        )
        return self.render_page(bound={self.form_key: form}, status=status)

    def perform(self, data) -> str:  # pragma: no cover - every action overrides it
        raise NotImplementedError


class StageView(IdeaActionView):
    form_key = "stage"
    form_class = StageForm

    def make_form(self, data):
        return StageForm(data, idea=self.idea)

    def perform(self, data) -> str:
        idea = services.stage_change(
            actor=self.request.user,
            idea=self.idea,
            stage=data["stage"],
            public_text=data["public_text"],
        )
        return _(
            "Die Idee ist jetzt „%(stage)s“. Verfasser*in und Unterstützende erhalten eine E-Mail."
        ) % {"stage": Stage(idea.stage).label}


class ProjectLinkView(IdeaActionView):
    form_key = "project"
    form_class = ProjectLinkForm

    def perform(self, data) -> str:
        project = data["project"]
        services.idea_link_project(actor=self.request.user, idea=self.idea, project=project)
        if project is None:
            return _("Die Idee ist mit keinem Vorhaben mehr verknüpft.")
        return _("Die Idee ist mit dem Vorhaben „%(title)s“ verknüpft.") % {"title": project.title}


class HideView(IdeaActionView):
    form_key = "hide"
    form_class = HideForm
    action_permission = "ideas.enter_offline"

    def perform(self, data) -> str:
        services.idea_hide(actor=self.request.user, idea=self.idea, reason=data["reason"])
        return _(
            "Die Idee ist ausgeblendet. Öffentlich steht an ihrer Stelle „Ausgeblendete Idee“."
        )


class RestoreView(IdeaActionView):
    form_key = "restore"
    form_class = RestoreForm
    action_permission = "ideas.enter_offline"

    def perform(self, data) -> str:
        services.idea_restore(actor=self.request.user, idea=self.idea)
        return _("Die Idee ist wieder öffentlich sichtbar.")


class CouncilListView(PoolAdminView):
    """Ideen mit erreichtem Quorum, for the council office (Schwerte: 75 in 6 weeks)."""

    template_name = "ideas/admin/council.html"
    page_title = gettext_lazy("Ratsliste")

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(**paginate(request, kpis.council_list()))
        )


class CouncilExportView(PoolAdminView):
    def get(self, request):
        content = kpis.council_csv(kpis.council_list())
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        filename = f"ratsliste-ideenpool-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class KpiView(PoolAdminView):
    template_name = "ideas/admin/kpis.html"
    page_title = gettext_lazy("Kennzahlen des Ideenpools")

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(
                counters=kpis.pool_counters(),
                stages=kpis.ideas_per_stage(),
                median_days=kpis.median_first_answer_days(),
            )
        )


class OfflineEntryView(PoolAdminView):
    """MitMachBüro: enter an idea that came at the counter, by letter, by phone or at an event."""

    permission = "ideas.enter_offline"
    template_name = "ideas/admin/offline.html"
    page_title = gettext_lazy("Idee erfassen (MitMachBüro)")

    def render_form(self, form, status: int = 200):
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get(self, request):
        return self.render_form(OfflineIdeaForm())

    def post(self, request):
        form = OfflineIdeaForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_submit(
                    actor=request.user,
                    channel=data["channel"],
                    offline_name=data["offline_name"],
                    title=data["title"],
                    text=data["text"],
                    field_of_action=data["field_of_action"],
                    district=data["district"],
                    address=data["address"],
                )
            except ApplicationError as error:
                status = status_for(error)
                if error.field and error.field in form.fields:
                    form.add_error(error.field, error.message)
                else:
                    form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Die Idee ist erfasst (Anliegen %(number)s). Öffentlich erscheint sie als "
                      "„anonym“ mit dem Eingangsweg „%(channel)s“.")
                    % {"number": idea.ticket.number, "channel": idea.get_channel_display()},
                )  # fmt: skip
                return redirect(reverse("ideas_admin:detail", args=[idea.pk]))
        return self.render_form(form, status=status)

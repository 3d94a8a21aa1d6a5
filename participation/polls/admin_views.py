"""The admin pages of a poll: its results with the free texts (moderators) and the entry of a
paper questionnaire (MitMachBüro staff)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from portal.core.admin_views import BackOfficeMixin
from portal.core.errors import ApplicationError

from .forms import OfflineResponseForm
from .selectors import poll_free_texts, poll_get_with_questions, poll_results
from .services import poll_answer_offline

FREE_TEXTS_PER_PAGE = 100


class PollAdminMixin(BackOfficeMixin):
    header_icon = "list-ul"
    section = (gettext_lazy("Umfragen"), "wagtailsnippets_polls_poll:list")

    def has_permission(self, request) -> bool:
        # the permission is the poll's own (its project's moderators): load it first
        self.poll = poll_get_with_questions(pk=self.kwargs["pk"])
        if self.poll is None:
            raise Http404
        return request.user.has_perm(self.permission, self.poll)

    def get_page_subtitle(self):
        return self.poll.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            poll=self.poll,
            project=self.poll.project,
            can_results=self.request.user.has_perm("polls.view_results", self.poll),
            can_enter=self.request.user.has_perm("polls.add_offline_response", self.poll),
        )
        return context


class PollResultsView(PollAdminMixin, TemplateView):
    permission = "polls.view_results"
    page_title = gettext_lazy("Ergebnisse der Umfrage")
    template_name = "polls/admin/poll_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(poll_free_texts(poll=self.poll), FREE_TEXTS_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context.update(results=poll_results(polls=[self.poll])[self.poll.pk], texts=page)
        return context


class PollOfflineEntryView(PollAdminMixin, FormView):
    permission = "polls.add_offline_response"
    page_title = gettext_lazy("Papierbogen erfassen")
    template_name = "polls/admin/poll_offline_entry.html"

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return OfflineResponseForm(self.request.POST, poll=self.poll)
        return OfflineResponseForm(poll=self.poll)

    def form_valid(self, form):
        try:
            poll_answer_offline(
                poll=self.poll,
                answers=form.answers(),
                channel=form.cleaned_data["channel"],
                entered_by=self.request.user,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Der Antwortbogen ist erfasst und zählt als Offline-Beteiligung. Sie können "
              "den nächsten erfassen."),
        )  # fmt: skip
        return redirect("polls_admin:offline-entry", pk=self.poll.pk)

"""One ticket: header, source, timeline, and one form per action, each calling one service."""

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from portal.core.errors import ApplicationError

from .. import services
from ..admin_forms import (
    CLOSING_STATUSES,
    AcceptForm,
    AssignForm,
    CloseForm,
    DuplicateForm,
    HandOverForm,
    NoteForm,
    QuestionForm,
    StatusForm,
)
from ..constants import TICKET_WORKFLOW, TicketStatus
from ..models import TicketFeedback
from ..selectors import ticket_list_for_user, ticket_timeline
from .base import TicketAdminView, get_ticket_for


def render_source(ticket) -> str:
    """The source object, inline: `tickets/admin/source/<app_label>_<model>.html` if a source app
    ships one, else a generic fallback."""
    source = ticket.source if ticket.source_content_type_id else None
    names = ["tickets/admin/source/default.html"]
    if source is not None:
        content_type = ticket.source_content_type
        names.insert(0, f"tickets/admin/source/{content_type.app_label}_{content_type.model}.html")
    return select_template(names).render({"source": source, "ticket": ticket})


def reply_texts(ticket) -> dict[str, str]:
    """The category's Textbausteine by status (the first one wins if there are several)."""
    texts: dict[str, str] = {}
    for template in ticket.category.reply_templates.all():
        texts.setdefault(template.status, template.text)
    return texts


class TicketDetailView(TicketAdminView):
    template_name = "tickets/admin/ticket_detail.html"

    ticket_permission = "tickets.view_ticket"

    def load(self, request, **kwargs):
        self.ticket = get_ticket_for(request.user, kwargs["pk"], perm=self.ticket_permission)

    def get_page_title(self):
        return _("Anliegen %(number)s") % {"number": self.ticket.number}

    def get(self, request, pk):
        return self.render_detail()

    # --- the page with all its forms ---
    def build_forms(self, bound: dict | None = None) -> dict[str, forms.Form | None]:
        ticket = self.ticket
        user = self.request.user
        if not user.has_perm("tickets.handle_ticket", ticket) or ticket.department_id is None:
            return {}
        allowed = TICKET_WORKFLOW.allowed(ticket.status)
        texts = reply_texts(ticket)
        status_form = StatusForm(ticket=ticket)
        choices = [value for value, _label in status_form.fields["status"].choices if value]
        # the chosen status (?status=, for use without JavaScript), else the usual next step;
        # its Textbaustein is the prefilled message
        wanted = self.request.GET.get("status")
        if wanted not in choices:
            wanted = TicketStatus.IN_PROGRESS if TicketStatus.IN_PROGRESS in choices else ""
        status_form.initial = {"status": wanted, "public_message": texts.get(wanted, "")}
        close_form = CloseForm(
            ticket=ticket,
            initial={
                "status": TicketStatus.DONE,
                "reason": texts.get(TicketStatus.DONE, ""),
            },
        )
        result = {
            "accept": AcceptForm() if ticket.acknowledged_at is None else None,
            "assign": AssignForm(ticket=ticket),
            "status": status_form if choices else None,
            "close": close_form if allowed & set(CLOSING_STATUSES) else None,
            "duplicate": DuplicateForm() if TicketStatus.DUPLICATE in allowed else None,
            "question": QuestionForm() if TicketStatus.WAITING in allowed else None,
            "note": NoteForm(),
            "hand_over": HandOverForm(ticket=ticket),
        }
        result.update(bound or {})
        return result

    def render_detail(self, *, bound: dict | None = None, status: int = 200):
        ticket = self.ticket
        action_forms = self.build_forms(bound)
        context = self.get_context_data(
            ticket=ticket,
            timeline=list(ticket_timeline(ticket=ticket).prefetch_related("attachments")),
            feedback=TicketFeedback.objects.filter(ticket=ticket).first(),
            source_html=render_source(ticket),
            forms=action_forms,
            can_handle=bool(action_forms),
            reply_texts=reply_texts(ticket) if action_forms.get("status") else {},
        )
        return self.render_to_response(context, status=status)


class TicketActionView(TicketDetailView):
    """POST only: parse the form, call exactly one service, report with Wagtail messages."""

    http_method_names = ["post"]
    form_class: type[forms.Form]
    form_key: str
    success_message = ""

    ticket_permission = "tickets.handle_ticket"

    def get_form(self):
        return self.form_class(self.request.POST)

    def post(self, request, pk):
        form = self.get_form()
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
                return self.redirect_after_success()
        messages.error(
            request, _("Die Aktion wurde nicht ausgeführt. Bitte prüfen Sie die Angaben.")
        )
        return self.render_detail(bound={self.form_key: form}, status=400)

    def perform(self, data) -> None:  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def redirect_after_success(self) -> HttpResponseRedirect:
        # after a hand-over the ticket may belong to a department the user is not in
        if ticket_list_for_user(self.request.user).filter(pk=self.ticket.pk).exists():
            return redirect(reverse("tickets_admin:detail", args=[self.ticket.pk]))
        return redirect(reverse("tickets_admin:queue"))


class AcceptView(TicketActionView):
    form_class = AcceptForm
    form_key = "accept"

    def perform(self, data):
        services.ticket_accept(
            ticket=self.ticket, actor=self.request.user, public_message=data["public_message"]
        )
        self.success_message = _("Sie haben die Zuständigkeit für %(number)s übernommen.") % {
            "number": self.ticket.number
        }


class HandOverView(TicketActionView):
    form_key = "hand_over"

    def get_form(self):
        return HandOverForm(self.request.POST, ticket=self.ticket)

    def perform(self, data):
        services.ticket_hand_over(
            ticket=self.ticket,
            actor=self.request.user,
            department=data["department"],
            reason=data["reason"],
        )
        self.success_message = _("%(number)s wurde an %(department)s abgegeben.") % {
            "number": self.ticket.number,
            "department": data["department"].name,
        }


class AssignView(TicketActionView):
    form_key = "assign"

    def get_form(self):
        return AssignForm(self.request.POST, ticket=self.ticket)

    def perform(self, data):
        services.ticket_assign(
            ticket=self.ticket, actor=self.request.user, assignee=data["assignee"]
        )
        self.success_message = _("%(number)s ist %(name)s zugewiesen.") % {
            "number": self.ticket.number,
            "name": data["assignee"].get_full_name() or data["assignee"].email,
        }


class StatusView(TicketActionView):
    form_key = "status"

    def get_form(self):
        return StatusForm(self.request.POST, ticket=self.ticket)

    def post(self, request, pk):
        if "load_template" in request.POST:
            # "Textbaustein einsetzen" without JavaScript: show the form again, prefilled
            form = StatusForm(ticket=self.ticket)
            wanted = request.POST.get("status", "")
            form.initial = {
                "status": wanted,
                "public_message": reply_texts(self.ticket).get(wanted, ""),
                "internal_note": request.POST.get("internal_note", ""),
            }
            return self.render_detail(bound={"status": form})
        return super().post(request, pk)

    def perform(self, data):
        services.ticket_change_status(
            ticket=self.ticket,
            actor=self.request.user,
            status=data["status"],
            public_message=data["public_message"],
            internal_note=data["internal_note"],
        )
        self.success_message = _("Der Status von %(number)s ist jetzt „%(status)s“.") % {
            "number": self.ticket.number,
            "status": TicketStatus(data["status"]).label,
        }


class CloseView(TicketActionView):
    form_key = "close"

    def get_form(self):
        return CloseForm(self.request.POST, ticket=self.ticket)

    def perform(self, data):
        services.ticket_change_status(
            ticket=self.ticket,
            actor=self.request.user,
            status=data["status"],
            public_message=data["reason"],
        )
        self.success_message = _("%(number)s ist abgeschlossen: %(status)s.") % {
            "number": self.ticket.number,
            "status": TicketStatus(data["status"]).label,
        }


class QuestionView(TicketActionView):
    form_class = QuestionForm
    form_key = "question"

    def perform(self, data):
        services.ticket_ask_citizen(
            ticket=self.ticket,
            actor=self.request.user,
            question=data["question"],
            public=data["public"],
        )
        self.success_message = _(
            "Die Rückfrage zu %(number)s ist gestellt. Die Frist ruht bis zur Antwort."
        ) % {"number": self.ticket.number}


class AttachmentView(TicketDetailView):
    """A photo the citizen sent with an answer, to staff who may see the ticket only."""

    def get(self, request, pk, attachment_id):
        from django.http import FileResponse, Http404

        attachment = self.ticket.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            raise Http404
        response = FileResponse(attachment.image.open("rb"), content_type=_image_type(attachment))
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _image_type(attachment) -> str:
    name = attachment.image.name.lower()
    for extension, content_type in ((".png", "image/png"), (".webp", "image/webp")):
        if name.endswith(extension):
            return content_type
    return "image/jpeg"


class NoteView(TicketActionView):
    form_class = NoteForm
    form_key = "note"

    def perform(self, data):
        services.ticket_add_note(ticket=self.ticket, actor=self.request.user, note=data["note"])
        self.success_message = _("Die Notiz ist gespeichert.")


class DuplicateView(TicketActionView):
    form_class = DuplicateForm
    form_key = "duplicate"

    def perform(self, data):
        number = data["original"].strip()
        # only a ticket the clerk may see can be the original; others are "not found"
        original = (
            ticket_list_for_user(self.request.user).filter(number=number).first()
            if number
            else None
        )
        if original is None or not self.request.user.has_perm("tickets.view_ticket", original):
            raise ApplicationError(
                _("Es gibt kein Anliegen mit der Nummer %(number)s, das Sie sehen dürfen.")
                % {"number": number},
                field="original",
            )
        services.ticket_mark_duplicate(
            ticket=self.ticket,
            actor=self.request.user,
            original=original,
            public_message=data["public_message"],
        )
        self.success_message = _("%(number)s ist als Duplikat von %(original)s markiert.") % {
            "number": self.ticket.number,
            "original": original.number,
        }

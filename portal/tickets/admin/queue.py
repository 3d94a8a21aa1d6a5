"""The queue of the user's departments, its bulk actions and its CSV export."""

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from portal.core.admin_views import paginate
from portal.core.errors import ApplicationError
from portal.core.spreadsheets import csv_cell, csv_writer
from portal.departments.models import Department

from .. import services
from ..admin_forms import BulkActionForm, QueueFilterForm, colleagues
from ..selectors import (
    ticket_list_for_user,
    ticket_queue,
    user_department_ids,
    user_is_ticket_admin,
)
from .base import TicketAdminView, safe_next, user_label

MAX_REPORTED_ERRORS = 20


def department_filter_queryset(user):
    """Departments to filter by: all for admins, the own ones for clerks of several; None when
    there is nothing to choose."""
    if user_is_ticket_admin(user):
        return Department.objects.filter(is_active=True).order_by("name")
    ids = user_department_ids(user)
    if len(ids) > 1:
        return Department.objects.filter(pk__in=ids).order_by("name")
    return None


def colleague_queryset(user):
    if user_is_ticket_admin(user):
        return colleagues(Department.objects.filter(is_active=True).values("pk"))
    return colleagues(user_department_ids(user))


def filtered_tickets(request):
    form = QueueFilterForm(request.GET, departments=department_filter_queryset(request.user))
    tickets = ticket_queue(user=request.user, **form.selector_kwargs())
    # the public label of a duplicate names the original: fetched in the same query
    return form, tickets.select_related("duplicate_of")


class QueueView(TicketAdminView):
    template_name = "tickets/admin/queue.html"
    page_title = gettext_lazy("Warteschlange")

    def get(self, request):
        form, tickets = filtered_tickets(request)
        page = paginate(request, tickets)
        bulk_form = BulkActionForm(colleague_queryset=colleague_queryset(request.user))
        context = self.get_context_data(
            filter_form=form,
            page_obj=page["page_obj"],
            tickets=page["rows"],
            elided_page_range=page["elided_page_range"],
            bulk_form=bulk_form,
            today=timezone.localdate(),
            export_query=request.GET.urlencode(),
        )
        return self.render_to_response(context)


class BulkActionView(TicketAdminView):
    http_method_names = ["post"]

    def post(self, request):
        back = safe_next(request, reverse("tickets_admin:queue"))
        form = BulkActionForm(request.POST, colleague_queryset=colleague_queryset(request.user))
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(back)
        data = form.cleaned_data
        ids = set(data["ticket"])
        # foreign ids are not found here: they are neither changed nor named
        tickets = [
            ticket
            for ticket in ticket_list_for_user(request.user).filter(pk__in=ids).order_by("number")
            if request.user.has_perm("tickets.handle_ticket", ticket)
        ]
        done, failed = [], []
        for ticket in tickets:
            try:
                self.apply(data, ticket, request.user)
            except ApplicationError as error:
                failed.append(f"{ticket.number}: {error.message}")
            else:
                done.append(ticket.number)
        if done:
            messages.success(
                request,
                _("%(count)d Anliegen bearbeitet: %(numbers)s")
                % {"count": len(done), "numbers": ", ".join(done)},
            )
        for line in failed[:MAX_REPORTED_ERRORS]:
            messages.error(request, _("Nicht bearbeitet – %(detail)s") % {"detail": line})
        if len(failed) > MAX_REPORTED_ERRORS:
            messages.error(
                request,
                _("… und %(count)d weitere nicht bearbeitet.")
                % {"count": len(failed) - MAX_REPORTED_ERRORS},
            )
        missing = len(ids) - len(tickets)
        if missing:
            messages.warning(
                request,
                _("%(count)d ausgewählte Anliegen wurden nicht gefunden.") % {"count": missing},
            )
        return redirect(back)

    @staticmethod
    def apply(data, ticket, actor) -> None:
        action = data["action"]
        if action == BulkActionForm.ACCEPT:
            services.ticket_accept(ticket=ticket, actor=actor)
        elif action == BulkActionForm.ASSIGN:
            services.ticket_assign(ticket=ticket, actor=actor, assignee=data["assignee"])
        elif action == BulkActionForm.STATUS:
            services.ticket_change_status(
                ticket=ticket,
                actor=actor,
                status=data["status"],
                public_message=data["public_message"],
            )
        elif action == BulkActionForm.HAND_OVER:
            services.ticket_hand_over(
                ticket=ticket, actor=actor, department=data["department"], reason=data["reason"]
            )


# --- CSV export -----------------------------------------------------------------------------------
class ExportView(TicketAdminView):
    def get(self, request):
        _form, tickets = filtered_tickets(request)
        today = timezone.localdate()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="anliegen-{today.isoformat()}.csv"'
        response.write("\ufeff")  # lets spreadsheet programs read the umlauts as UTF-8
        writer = csv_writer(response)
        writer.writerow(
            [
                _("Nummer"),
                _("eingegangen am"),
                _("Kategorie"),
                _("Stadtteil"),
                _("Ort"),
                _("Status"),
                _("fällig am"),
                _("überfällig"),
                _("Fachbereich"),
                _("bearbeitet von"),
                _("Anliegen"),
            ]
        )
        for ticket in tickets.iterator(chunk_size=1000):
            row = [
                ticket.number,
                timezone.localtime(ticket.received_at).strftime("%d.%m.%Y %H:%M"),
                ticket.category.name,
                ticket.district.name if ticket.district_id else "",
                ticket.address,
                ticket.public_status_label,
                ticket.due_date.strftime("%d.%m.%Y") if ticket.due_date else "",
                _("ja") if ticket.is_overdue else _("nein"),
                ticket.department.name if ticket.department_id else "",
                user_label(ticket.assignee),
                ticket.summary,
            ]
            writer.writerow([csv_cell(cell) for cell in row])
        return response

"""Statistics for department heads, failed background jobs, and the routing rule tester."""

import datetime

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages

from portal.core import outbox
from portal.core.errors import ApplicationError
from portal.core.outbox.selectors import message_failed_list
from portal.departments.models import Department

from .. import services
from ..admin_forms import RulesTestForm
from ..constants import Channel, TicketStatus
from ..selectors import (
    failed_job_list,
    ticket_channel_counts,
    ticket_statistics_for_departments,
    user_headed_department_ids,
    user_is_ticket_admin,
)
from .base import TicketAdminView

STATISTICS_WINDOW = datetime.timedelta(days=365)
FAILED_JOBS_SHOWN = 200


def format_duration(value: datetime.timedelta | None) -> str:
    if value is None:
        return "–"
    hours = value.total_seconds() / 3600
    if hours < 24:
        return ngettext("%(n)s Stunde", "%(n)s Stunden", round(hours)) % {"n": round(hours)}
    days = hours / 24
    return _("%(n)s Tage") % {"n": f"{days:.1f}".replace(".", ",")}


class StatisticsView(TicketAdminView):
    permission = "tickets.access_statistics"
    template_name = "tickets/admin/statistics.html"
    page_title = gettext_lazy("Statistik")
    header_icon = "table"

    def get(self, request):
        user = request.user
        if user_is_ticket_admin(user):
            departments = list(Department.objects.filter(is_active=True).order_by("name"))
        else:
            headed = Department.objects.filter(pk__in=user_headed_department_ids(user))
            departments = [
                department
                for department in headed.order_by("name")
                if user.has_perm("tickets.view_statistics", department)
            ]
        figures = ticket_statistics_for_departments(
            department_ids=[d.pk for d in departments], window=STATISTICS_WINDOW
        )
        rows = []
        for department in departments:
            data = figures[department.pk]
            rows.append(
                {
                    "department": department,
                    "counts": [data["by_status"].get(value, 0) for value in TicketStatus.values],
                    "open": data["open"],
                    "overdue": data["overdue"],
                    "total": data["total"],
                    "closed": data["closed"],
                    "median": format_duration(data["median"]),
                }
            )
        channels = ticket_channel_counts(
            department_ids=[d.pk for d in departments], window=STATISTICS_WINDOW
        )
        context = self.get_context_data(
            rows=rows,
            status_labels=TicketStatus.labels,
            window_days=STATISTICS_WINDOW.days,
            channels=[(Channel(value).label, count) for value, count in channels.items()],
        )
        return self.render_to_response(context)


class FailedJobListView(TicketAdminView):
    permission = "tickets.retry_failed_job"
    template_name = "tickets/admin/failed_jobs.html"
    page_title = gettext_lazy("Fehlgeschlagene Aufträge")
    header_icon = "warning"

    def get(self, request):
        jobs = list(failed_job_list()[:FAILED_JOBS_SHOWN])
        mails = list(message_failed_list()[:FAILED_JOBS_SHOWN])
        return self.render_to_response(self.get_context_data(jobs=jobs, mails=mails))


class FailedJobRetryView(TicketAdminView):
    permission = "tickets.retry_failed_job"
    http_method_names = ["post"]

    def post(self, request, pk):
        job = get_object_or_404(failed_job_list(), pk=pk)
        try:
            services.failed_job_retry(job=job)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Der Auftrag %(job)s wurde erneut gestartet.") % {"job": str(job)}
            )
        return redirect(reverse("tickets_admin:failed"))


class FailedMailRetryView(TicketAdminView):
    """An e-mail of the outbox whose send task gave up goes out again (portal.core.outbox)."""

    permission = "tickets.retry_failed_job"
    http_method_names = ["post"]

    def post(self, request, pk):
        message = get_object_or_404(message_failed_list(), pk=pk)
        if outbox.message_retry(message_id=message.pk):
            messages.success(request, _("Die E-Mail wird erneut gesendet."))
        return redirect(reverse("tickets_admin:failed"))


def can_test_rules(user) -> bool:
    return user.has_perm("tickets.test_routing_rules")


class RulesTestView(TicketAdminView):
    template_name = "tickets/admin/rules_test.html"
    page_title = gettext_lazy("Zuordnungsregeln testen")
    header_icon = "crosshairs"
    # editors need no ticket queue to test rules
    permission = "tickets.test_routing_rules"

    def get(self, request):
        form = RulesTestForm(request.GET or None)
        result = None
        if form.is_valid():
            data = form.cleaned_data
            district = data.get("district")
            rule, department = services.routing_resolve(
                source_kind=data["source_kind"],
                category=data["category"],
                district_id=district.pk if district else None,
                text=data.get("text") or "",
            )
            if rule is not None:
                how = _("Regel %(position)s „%(name)s“") % {
                    "position": rule.position,
                    "name": rule.name,
                }
            elif department is not None and department == data["category"].default_department:
                how = _("keine Regel passt: Fachbereich der Kategorie")
            elif department is not None:
                how = _("keine Regel passt: Auffang-Fachbereich")
            else:
                how = _("keine Regel passt, und es gibt keinen Auffang-Fachbereich")
            result = {"rule": rule, "department": department, "how": how}
        context = self.get_context_data(form=form, result=result)
        return self.render_to_response(context)

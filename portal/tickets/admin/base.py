from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from portal.core.admin_views import BackOfficeView

from ..selectors import ticket_list_for_user


class TicketAdminView(BackOfficeView):
    """A back-office page: one permission from `portal/tickets/rules.py`, Wagtail's chrome."""

    permission = "tickets.access_queue"
    header_icon = "clipboard-list"

    def get_section(self) -> dict:
        url = reverse("tickets_admin:queue") if request_can_queue(self.request) else ""
        return {"url": url, "label": _("Anliegen")}


def request_can_queue(request) -> bool:
    return request.user.has_perm("tickets.access_queue")


def get_ticket_for(user, pk, *, perm: str = "tickets.view_ticket"):
    """A ticket the user may see (and, with perm=handle_ticket, change); 404 otherwise, so a
    foreign ticket does not even reveal that it exists."""
    ticket = get_object_or_404(
        ticket_list_for_user(user).select_related("duplicate_of", "citizen", "source_content_type"),
        pk=pk,
    )
    if not user.has_perm(perm, ticket):
        raise Http404
    return ticket


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email

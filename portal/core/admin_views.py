"""The base of every back-office page in the Wagtail admin (queues, moderation, the Ideenpool,
payments, figures): one permission check before anything is loaded, Wagtail's chrome, the
breadcrumbs "section › page", and the shared layout styles (static/css/admin/backoffice.css,
included by templates/includes/admin_styles.html).

    class QueueView(BackOfficeView):
        permission = "tickets.access_queue"          # django-rules; or override has_permission
        section = (_("Anliegen"), "tickets_admin:queue")
        template_name = "tickets/admin/queue.html"
        page_title = _("Anliegen")

        def load(self, request, **kwargs): ...       # after the check: fetch what the page shows
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views import View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

PAGE_SIZE = 50


class BackOfficeMixin(WagtailAdminTemplateMixin):
    """Mixed into any class-based view (View, FormView, TemplateView)."""

    permission = ""
    # (label, URL name) of the back office's start page; the label alone when it has no URL
    section: tuple | None = None

    def has_permission(self, request) -> bool:
        return bool(self.permission) and request.user.has_perm(self.permission)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request):
            raise PermissionDenied
        self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs) -> None:
        """Fetch the objects the view works on, after the permission check."""

    def get_section(self) -> dict | None:
        if not self.section:
            return None
        label, *url_name = self.section
        return {"url": reverse(url_name[0]) if url_name and url_name[0] else "", "label": label}

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        section = self.get_section()
        if section is not None:
            items.append(section)
        return [*items, {"url": "", "label": self.get_page_title()}]


class BackOfficeView(BackOfficeMixin, View):
    pass


def paginate(request, items, *, per_page: int = PAGE_SIZE, param: str = "p") -> dict:
    """A page of a back-office list with Wagtail's paginator (`p`, like Wagtail's own lists)."""
    paginator = WagtailPaginator(items, per_page)
    page = paginator.get_page(request.GET.get(param))
    return {
        "page_obj": page,
        "elided_page_range": paginator.get_elided_page_range(page.number),
        "rows": list(page.object_list),
    }

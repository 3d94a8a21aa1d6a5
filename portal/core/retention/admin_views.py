"""The Löschprotokoll in the Wagtail admin: what the retention job erased, run by run."""

from django.utils.translation import gettext_lazy as _

from portal.core.admin_views import BackOfficeView, paginate

from . import rules
from .models import ErasureLog


class ErasureLogView(BackOfficeView):
    permission = "core.view_erasure_log"
    template_name = "core/admin/erasure_log.html"
    page_title = _("Löschprotokoll")
    header_icon = "bin"

    def get(self, request):
        page = paginate(request, ErasureLog.objects.all())
        return self.render_to_response(self.get_context_data(rules=rules(), **page))

"""Leistungskatalog – Kennzahlen: the three KPI flags overall and per Lebenslage."""

from django.utils.translation import gettext_lazy as _

from portal.core.admin_views import BackOfficeView

from .selectors import service_figures, service_list_public, topic_figures


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


class CatalogueFiguresView(BackOfficeView):
    template_name = "catalogue/admin/figures.html"
    page_title = _("Leistungskatalog – Kennzahlen")
    header_icon = "table"
    permission = "catalogue.view_figures"

    def get(self, request):
        services = service_list_public()
        figures = service_figures(services)
        topics = topic_figures(services)
        without_topic = service_figures(services.filter(topics__isnull=True))
        context = self.get_context_data(
            figures=figures,
            shares={
                "online": percent(figures.online, figures.total),
                "with_fee": percent(figures.with_fee, figures.total),
                "epayment": percent(figures.epayment, figures.with_fee),
            },
            topics=topics,
            without_topic=without_topic,
        )
        return self.render_to_response(context)

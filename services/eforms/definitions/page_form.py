"""Editor-built forms (ServiceFormPage) seen through the same interface as code-defined forms,
so that they share the steps, the review, the payment and the hand-over to the department."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from ..models import FILE_FIELD_TYPE, ServiceFormPage
from ..uploads import ProofFileField
from .base import LineItem, ServiceForm, Step, StepForm


class ServiceFormBuilder(FormBuilder):
    def create_datei_field(self, field, options):
        return ProofFileField(**options)

    def get_form_class(self):
        return type("ServiceFormStep", (StepForm,), dict(self.formfields))


assert FILE_FIELD_TYPE == "datei"  # the builder's method name follows the type


class PageServiceForm(ServiceForm):
    def __init__(self, page: ServiceFormPage, service):
        self.page = page
        self.service = service
        form_class = ServiceFormBuilder(page.form_fields.all()).get_form_class()
        super().__init__(
            key=page.form_key,
            title=page.title,
            intro="",
            steps=[Step("angaben", _("Ihre Angaben"), form_class)],
        )

    def line_items(self, answers):
        service = self.service
        if not (service and service.has_fee and service.has_epayment and service.fee_amount):
            return []
        unit = int((Decimal(service.fee_amount) * 100).to_integral_value())
        return [LineItem(description=str(service.title), quantity=1, unit_minor=unit)]

    def ticket_summary(self, answers):
        return str(_("Online-Antrag: %(title)s") % {"title": self.page.title})


def page_form(key: str, service) -> PageServiceForm | None:
    from ..constants import PAGE_FORM_PREFIX

    try:
        page_id = int(key.removeprefix(PAGE_FORM_PREFIX))
    except ValueError:
        return None
    page = ServiceFormPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return None
    return PageServiceForm(page, service)

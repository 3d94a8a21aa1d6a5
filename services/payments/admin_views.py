"""The "Zahlungen" pages of the Wagtail admin: the list, one payment with its state history and
refund ledger, and the actions refund, ask the provider again, and cancel."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from portal.core.admin_views import BackOfficeView, paginate
from portal.core.errors import ApplicationError

from .constants import EventSource, format_euro
from .forms import PaymentFilterForm, RefundForm
from .models import Payment
from .selectors import payment_admin_list, payment_detail, payment_events, payment_refunds
from .services import payment_cancel, payment_refresh, refund_create


class PaymentAdminView(BackOfficeView):
    permission = "payments.access_payments"
    header_icon = "form"
    section = (gettext_lazy("Zahlungen"), "payments_admin:list")


class PaymentListView(PaymentAdminView):
    template_name = "payments/admin/payment_list.html"
    page_title = gettext_lazy("Zahlungen")
    section = None

    def get(self, request):
        form = PaymentFilterForm(request.GET)
        page = paginate(request, payment_admin_list(**form.selector_kwargs()))
        context = self.get_context_data(
            filter_form=form,
            page_obj=page["page_obj"],
            payments=page["rows"],
            elided_page_range=page["elided_page_range"],
        )
        return self.render_to_response(context)


class PaymentMixin:
    def load(self, request, **kwargs):
        try:
            self.payment = payment_detail(kwargs["pk"])
        except Payment.DoesNotExist as error:
            raise Http404 from error


class PaymentDetailView(PaymentMixin, PaymentAdminView):
    template_name = "payments/admin/payment_detail.html"

    def get_page_title(self):
        return _("Zahlung %(reference)s") % {"reference": self.payment.reference}

    def get(self, request, pk):
        return self.render_detail()

    def render_detail(self, refund_form: RefundForm | None = None, status: int = 200):
        payment = self.payment
        user = self.request.user
        may_refund = user.has_perm("payments.refund_payment") and payment.refundable_minor > 0
        if refund_form is None and may_refund:
            refund_form = RefundForm(
                initial={"amount": format_euro(payment.refundable_minor).replace("\u00a0€", "")},
                refundable_minor=payment.refundable_minor,
            )
        context = self.get_context_data(
            payment=payment,
            events=list(payment_events(payment)),
            refunds=list(payment_refunds(payment)),
            refund_form=refund_form if may_refund else None,
            refundable_display=format_euro(payment.refundable_minor),
            may_manage=user.has_perm("payments.manage_payment") and not payment.is_final,
            order_label=f"{payment.order_content_type.name} {payment.order_object_id}",
        )
        response = self.render_to_response(context)
        response.status_code = status
        return response


class RefundView(PaymentDetailView):
    permission = "payments.refund_payment"
    http_method_names = ["post"]

    def post(self, request, pk):
        form = RefundForm(request.POST, refundable_minor=self.payment.refundable_minor)
        if not form.is_valid():
            return self.render_detail(refund_form=form, status=400)
        try:
            refund = refund_create(
                payment_id=self.payment.pk,
                amount_minor=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error("amount" if error.field == "amount" else None, error.message)
            self.payment = payment_detail(self.payment.pk)  # a failed attempt is in the ledger
            return self.render_detail(refund_form=form, status=400)
        messages.success(
            request,
            _("%(amount)s wurden erstattet.") % {"amount": refund.amount_display},
        )
        return redirect("payments_admin:detail", pk=self.payment.pk)


class RefreshView(PaymentMixin, PaymentAdminView):
    permission = "payments.manage_payment"
    http_method_names = ["post"]

    def post(self, request, pk):
        payment = payment_refresh(payment_id=pk, source=EventSource.ADMIN, actor=request.user)
        messages.info(
            request,
            _("Status beim Zahlungsdienst abgefragt: %(state)s")
            % {"state": payment.get_state_display()},
        )
        return redirect("payments_admin:detail", pk=pk)


class CancelView(PaymentMixin, PaymentAdminView):
    permission = "payments.manage_payment"
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            payment = payment_cancel(payment_id=pk, actor=request.user, source=EventSource.ADMIN)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Die Zahlung ist jetzt: %(state)s") % {"state": payment.get_state_display()},
            )
        return redirect("payments_admin:detail", pk=pk)

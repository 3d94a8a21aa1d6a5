"""Staff enter an Anliegen that came by phone, letter, e-mail or at the counter
("Anliegen erfassen", /admin/anliegen-erfassen/): the same report, ticket, receipt number,
e-mails and timeline as a citizen's own submission, with its channel counted."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from portal.core.admin_views import BackOfficeView
from portal.core.errors import ApplicationError
from portal.core.forms import HONEYPOT_FIELD, RadioSelect
from portal.core.formtokens import FormTokens
from portal.tickets.constants import STAFF_CHANNELS, Channel

from .attributes import AttributeAnswerErrors
from .forms import ATTRIBUTE_PREFIX, PHOTO_SLOTS, ReportForm
from .services import report_submit

TOKENS = FormTokens("intake_form_tokens", kept=10)


class IntakeForm(ReportForm):
    """The public report form, as staff fill it in for somebody else: the channel first, no
    spam trap, the contact fields named for the person who called or wrote."""

    channel = forms.ChoiceField(
        label=gettext_lazy("Wie ist das Anliegen eingegangen?"),
        choices=[(channel.value, channel.label) for channel in STAFF_CHANNELS],
        widget=RadioSelect,
        error_messages={
            "required": gettext_lazy("Bitte wählen Sie, wie das Anliegen eingegangen ist."),
            "invalid_choice": gettext_lazy("Bitte wählen Sie einen der genannten Wege."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, user=None, **kwargs)
        del self.fields[HONEYPOT_FIELD]
        for slot in PHOTO_SLOTS:  # no earlier step keeps photos here
            del self.fields[f"remove_{slot}"]
        fields = self.fields
        fields["category"].label = _("Kategorie")
        fields["address"].label = _("Ort: Straße und Hausnummer")
        fields["address"].help_text = _(
            "Wie im Gespräch oder Schreiben genannt; Einzelheiten zum Ort in die Beschreibung."
        )
        fields["description"].help_text = _(
            "Das Anliegen in den Worten der Bürgerin oder des Bürgers; höchstens 4.000 Zeichen. "
            "Der Text kann veröffentlicht werden: bitte keine Namen oder Telefonnummern."
        )
        fields["name"].label = _("Name der Bürgerin oder des Bürgers")
        fields["email"].label = _("E-Mail-Adresse für Antworten")
        fields["email"].help_text = _(
            "Optional. Dann erhält die Person die Eingangsbestätigung mit der Vorgangsnummer "
            "und jede Änderung des Bearbeitungsstands. Ohne Adresse nennen Sie ihr die Nummer."
        )
        self.order_fields(["channel", *self.fields])

    @property
    def is_spam(self) -> bool:
        return False


class IntakeView(BackOfficeView):
    """Any member of the back office who works on Anliegen may enter one."""

    permission = "tickets.access_queue"
    template_name = "reports/admin/intake.html"
    page_title = gettext_lazy("Anliegen erfassen")
    header_icon = "plus"
    section = (gettext_lazy("Anliegen"), "tickets_admin:queue")

    def get(self, request):
        initial = {"channel": Channel.PHONE}
        return self._render(request, IntakeForm(initial=initial), TOKENS.issue(request))

    def post(self, request):
        token, done = TOKENS.arrived(request)
        if done:  # sent twice: the first one is the Anliegen
            return redirect("tickets_admin:detail", int(done))
        form = IntakeForm(request.POST, request.FILES)
        if token is None:
            form.is_valid()
            form.add_error(
                None, _("Das Formular war zu lange geöffnet. Bitte senden Sie es erneut ab.")
            )
            return self._render(request, form, TOKENS.issue(request))
        if not form.is_valid():
            return self._render(request, form, token)
        data = form.cleaned_data
        photos = [
            (data[f"photo_{slot}"], data.get(f"alt_{slot}", ""))
            for slot in PHOTO_SLOTS
            if data.get(f"photo_{slot}")
        ]
        try:
            with TOKENS.submitting(request, token):
                report = report_submit(
                    category=data["category"],
                    description=data["description"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                    address=data["address"],
                    photos=photos,
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    channel=data["channel"],
                    attributes=data["attributes"],
                    actor=request.user,
                )
        except AttributeAnswerErrors as error:
            for code, message in error.errors.items():
                name = ATTRIBUTE_PREFIX + code
                form.add_error(name if name in form.fields else None, message)
            return self._render(request, form, token)
        except ApplicationError as error:
            field = {"location": "address"}.get(error.field, error.field)
            form.add_error(field if field in form.fields else None, error.message)
            return self._render(request, form, token)
        ticket = report.ticket
        TOKENS.set(request, token, str(ticket.pk))
        messages.success(
            request,
            _("Anliegen %(number)s erfasst (%(channel)s). Bitte nennen Sie der Person diese "
              "Vorgangsnummer.")
            % {"number": ticket.number, "channel": Channel(ticket.channel).label},
        )  # fmt: skip
        if request.user.has_perm("tickets.view_ticket", ticket):
            return redirect("tickets_admin:detail", ticket.pk)
        return redirect("reports_intake:create")

    def _render(self, request, form, token):
        context = self.get_context_data(form=form, form_token=token)
        return render(request, self.template_name, context)

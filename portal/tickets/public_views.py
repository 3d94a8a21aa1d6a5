"""The citizen's side of an Anliegen: receipt, status page (secret link) and "Meine Anliegen"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.errors import ApplicationError
from portal.core.links import absolute_url
from portal.core.mydata.export import request_export
from portal.core.ratelimit import rate_limit_hit

from . import services
from .constants import EventKind, TicketStatus
from .models import Ticket, TicketFeedback
from .public_forms import AnswerForm, FeedbackForm, ReopenForm
from .selectors import ticket_list_for_citizen, ticket_public_timeline

RECEIPTS_KEY = "ticket_receipts"
RECEIPTS_KEPT = 20
MINE_PER_PAGE = 20


def receipt_remember(request, ticket: Ticket) -> None:
    """The receipt belongs to the browser that sent the concern; anyone else with the link gets
    the status page."""
    receipts = [t for t in request.session.get(RECEIPTS_KEY, []) if t != ticket.access_token]
    request.session[RECEIPTS_KEY] = [*receipts, ticket.access_token][-RECEIPTS_KEPT:]


def _secret_page(response):
    # the token is in the address: no search engine, and no Referer to any other site. Not
    # "no-referrer": with it a browser sends `Origin: null` with the page's own forms (answer,
    # "nicht behoben", a copy of one's data), which Django's CSRF check rightly refuses
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _ticket_for_token(token: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("category", "department", "duplicate_of", "citizen"),
        access_token=token,
    )


@never_cache
def receipt(request, token: str):
    if token not in request.session.get(RECEIPTS_KEY, []):
        return redirect("tickets:status", token)
    ticket = _ticket_for_token(token)
    status_url = absolute_url(reverse("tickets:status", args=[token]))
    return _secret_page(
        render(
            request,
            "tickets/public/ticket_receipt.html",
            {
                "ticket": ticket,
                "status_url": status_url,
                "reply_email": ticket.citizen.email if ticket.citizen_id else ticket.contact_email,
            },
        )
    )


@never_cache
def status(request, token: str):
    return _status_page(request, _ticket_for_token(token))


def _status_page(request, ticket: Ticket, *, bound: dict | None = None, code: int = 200):
    """The status page with the forms the ticket's state offers: an answer while a question
    waits, "nicht behoben" for a while after "erledigt", the satisfaction once closed."""
    forms = {"answer": None, "reopen": None, "feedback": None}
    if ticket.status == TicketStatus.WAITING:
        forms["answer"] = AnswerForm()
    reopen_by = services.reopen_until(ticket)
    if reopen_by is not None:
        forms["reopen"] = ReopenForm()
    feedback = TicketFeedback.objects.filter(ticket=ticket).first() if ticket.is_closed else None
    if ticket.is_closed:
        initial = {"rating": feedback.rating, "comment": feedback.comment} if feedback else {}
        forms["feedback"] = FeedbackForm(initial=initial)
    forms.update(bound or {})
    question = None
    if ticket.status == TicketStatus.WAITING:
        question = ticket.events.filter(kind=EventKind.QUESTION).order_by("-created_at").first()
    return _secret_page(
        render(
            request,
            "tickets/public/ticket_status.html",
            {
                "ticket": ticket,
                "timeline": ticket_public_timeline(ticket=ticket),
                "is_own": request.user.is_authenticated and ticket.citizen_id == request.user.pk,
                "forms": forms,
                "question": question,
                "reopen_by": reopen_by,
                "feedback": feedback,
            },
            status=code,
        )
    )


def _dialogue_post(request, token: str, form_class, key: str, act):
    """One of the citizen's forms: parse, call the service, show the page again with the
    result. A refusal is said in German on the page; nothing typed is lost."""
    ticket = _ticket_for_token(token)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = act(ticket, form.cleaned_data)
        except ApplicationError as error:
            if error.field and error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("tickets:status", token)
    return _status_page(request, ticket, bound={key: form}, code=400)


@require_POST
def status_answer(request, token: str):
    def act(ticket, data):
        services.ticket_answer(ticket=ticket, text=data["text"], photo=data["photo"])
        return _("Vielen Dank für Ihre Antwort. Wir bearbeiten Ihr Anliegen weiter.")

    return _dialogue_post(request, token, AnswerForm, "answer", act)


@require_POST
def status_reopen(request, token: str):
    def act(ticket, data):
        services.ticket_reopen(ticket=ticket, reason=data["reason"])
        return _("Ihr Anliegen ist wieder geöffnet. Der Fachbereich sieht sich das noch einmal an.")

    return _dialogue_post(request, token, ReopenForm, "reopen", act)


@require_POST
def status_feedback(request, token: str):
    def act(ticket, data):
        services.ticket_feedback(ticket=ticket, rating=data["rating"], comment=data["comment"])
        return _("Vielen Dank für Ihre Bewertung.")

    return _dialogue_post(request, token, FeedbackForm, "feedback", act)


# copies of what was sent with one Anliegen, per status link
COPIES_PER_DAY = 3


@require_POST
def status_data(request, token: str):
    """A copy of what was sent with this Anliegen (Art. 15 GDPR), for a person without an
    account. Anyone may hold the status link, so the copy's link goes only to the e-mail address
    given with the Anliegen; with an account, "Meine Daten" has everything."""
    ticket = _ticket_for_token(token)
    if ticket.citizen_id or not ticket.contact_email:
        return redirect("tickets:status", token)
    if rate_limit_hit(
        scope="status-copy", identity=str(ticket.pk), limit=COPIES_PER_DAY, seconds=24 * 3600
    ):
        messages.error(
            request,
            _("Sie haben heute schon mehrere Kopien angefordert. Bitte versuchen Sie es morgen."),
        )
        return redirect("tickets:status", token)
    request_export(case_id=ticket.pk, recipient=ticket.contact_email)
    messages.success(
        request,
        _(
            "Wir stellen Ihre Angaben zusammen und schicken Ihnen den Link zum Herunterladen an "
            "die E-Mail-Adresse, die Sie bei diesem Anliegen angegeben haben."
        ),
    )
    return redirect("tickets:status", token)


@login_required
def mine(request):
    paginator = Paginator(ticket_list_for_citizen(user=request.user), MINE_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("seite"))
    return render(
        request,
        "tickets/public/ticket_list_mine.html",
        {"page_obj": page_obj, "tickets": page_obj.object_list},
    )

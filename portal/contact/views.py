"""The public forms that open an Anliegen: "Anliegen an die Stadt" and accessibility feedback."""

from urllib.parse import urlsplit

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from portal.core.errors import ApplicationError
from portal.core.formtokens import FormTokens
from portal.tickets.models import Category
from portal.tickets.public_views import receipt_remember

from .constants import ACCESSIBILITY_CATEGORY_SLUG, ContactKind
from .forms import AccessibilityFeedbackForm, GeneralContactForm
from .services import contact_submit

# One-time form tokens (portal.core.formtokens); the value a token keeps is the access
# token of the ticket it created. A second POST of a used token leads to the same receipt.
TOKENS = FormTokens("contact_form_tokens", kept=20)


def _same_site_page(request, candidate: str) -> str:
    candidate = candidate.strip()
    if not candidate or len(candidate) > 300:
        return ""
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    if urlsplit(candidate).path == request.path:  # the form itself, e.g. after a reload
        return ""
    return candidate


def _contact_form_view(request, *, form_class, kind: str, template: str, category=None):
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        initial = {}
        if kind == ContactKind.ACCESSIBILITY:
            initial["page_url"] = _same_site_page(
                request, request.GET.get("seite", "")
            ) or _same_site_page(request, request.headers.get("Referer", ""))
        form = form_class(user=user, initial=initial)
        return _render_form(request, template, form)

    token, done = TOKENS.arrived(request)
    if done:
        return redirect("tickets:receipt", done)

    form = form_class(request.POST, user=user)
    if token is None:
        # no token, or one from an expired session: nothing is lost, the form comes back filled
        form.is_valid()
        form.add_error(
            None,
            _("Das Formular war zu lange geöffnet. Bitte prüfen Sie Ihre Angaben und senden "
              "Sie es noch einmal ab."),
        )  # fmt: skip
        return _render_form(request, template, form)
    if form.is_spam:
        TOKENS.set(request, token, "")
        return render(request, "contact/contact_thanks.html", {"kind": kind})
    if not form.is_valid():
        return _render_form(request, template, form)

    data = form.cleaned_data
    try:
        with TOKENS.submitting(request, token):
            ticket = contact_submit(
                kind=kind,
                category=category or data["category"],
                message=data["message"],
                email="" if user else data.get("email", ""),
                user=user,
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                address=data.get("address", ""),
                page_url=data.get("page_url", ""),
            )
    except ApplicationError as error:
        field = {"summary": "message"}.get(error.field, None)
        form.add_error(field if field in form.fields else None, error.message)
        return _render_form(request, template, form)
    TOKENS.set(request, token, ticket.access_token)
    receipt_remember(request, ticket)
    return redirect("tickets:receipt", ticket.access_token)


def _render_form(request, template: str, form):
    return render(
        request,
        template,
        {"form": form, "form_token": TOKENS.issue(request), "account_email": _account_email(form)},
    )


def _account_email(form) -> str:
    return form.user.email if form.user is not None else ""


@never_cache
def general(request):
    return _contact_form_view(
        request,
        form_class=GeneralContactForm,
        kind=ContactKind.GENERAL,
        template="contact/general_form.html",
    )


@never_cache
def accessibility(request):
    return _contact_form_view(
        request,
        form_class=AccessibilityFeedbackForm,
        kind=ContactKind.ACCESSIBILITY,
        template="contact/accessibility_form.html",
        category=Category.objects.get(slug=ACCESSIBILITY_CATEGORY_SLUG),
    )

"""The public web side of the Mängelmelder: the report form with its review step, the list of
published reports and the report page ("Ich bin auch betroffen": support_views.py)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.core.errors import ApplicationError
from portal.core.formtokens import FormTokens
from portal.core.images import CleanPhoto
from portal.core.ratelimit import rate_limit_exceeded
from portal.tickets.public_views import receipt_remember
from portal.tickets.selectors import ticket_public_timeline

from .attributes import AttributeAnswerErrors
from .forms import (
    ATTRIBUTE_PREFIX,
    PHOTO_SLOTS,
    STREET_LIST_ID,
    ReportFilterForm,
    ReportForm,
    SupportForm,
)
from .geocoder import address_suggestions, geocoder_enabled
from .photo_services import report_photo_drafts_delete, report_photo_drafts_save
from .selectors import (
    report_get_public,
    report_list_public_filtered,
    report_nearby_open,
    report_photo_drafts_get,
)
from .services import report_submit
from .streets import street_suggestions

LIST_PER_PAGE = 20

STEP_REVIEW = "pruefen"
STEP_CHANGE = "aendern"
STEP_SUBMIT = "absenden"

# One-time form tokens (portal.core.formtokens); the value a token keeps is the access
# token of the ticket it created. A second POST of a used token leads to the same receipt. The
# token also names the photos kept between the steps; they go when their token is evicted.
TOKENS = FormTokens(
    "report_form_tokens", kept=10, on_evict=lambda request, token: _draft_delete(request, token)
)

# Cleaned photos wait in the database between the steps (ReportPhotoDraft; up to 3 × a few MB:
# too much for the session, which is read on every request, and the cache may be down). The
# session records which slots were kept, so an expired photo is noticed and asked for again,
# never silently dropped.
DRAFTS_KEY = "report_drafts"


# --- tokens and drafts -----------------------------------------------------------------------


def _draft_load(request, token: str) -> tuple[dict[int, CleanPhoto], bool]:
    """The photos kept for this form, and whether all of them are still there."""
    expected = request.session.get(DRAFTS_KEY, {}).get(token, [])
    if not expected:
        return {}, True
    photos = report_photo_drafts_get(token=token)
    return photos, set(expected) <= set(photos)


def _draft_save(
    request, token: str, photos: dict[int, CleanPhoto], kept: dict[int, CleanPhoto]
) -> None:
    drafts = request.session.get(DRAFTS_KEY, {})
    if photos:
        new = {slot: photo for slot, photo in photos.items() if kept.get(slot) is not photo}
        report_photo_drafts_save(token=token, slots=set(photos), new=new)
        drafts[token] = sorted(photos)
    else:
        report_photo_drafts_delete(token=token)
        drafts.pop(token, None)
    request.session[DRAFTS_KEY] = drafts


def _draft_delete(request, token: str) -> None:
    report_photo_drafts_delete(token=token)
    drafts = request.session.get(DRAFTS_KEY, {})
    if drafts.pop(token, None) is not None:
        request.session[DRAFTS_KEY] = drafts


def _merge_photos(kept: dict[int, CleanPhoto], form: ReportForm) -> dict[int, CleanPhoto]:
    """Kept photos, minus those removed, plus the new ones that passed `clean_photo` (also when
    another field has an error: nobody should have to pick a good photo twice)."""
    photos = dict(kept)
    data = getattr(form, "cleaned_data", {})
    for slot in PHOTO_SLOTS:
        if data.get(f"remove_{slot}"):
            photos.pop(slot, None)
        new = data.get(f"photo_{slot}")
        if isinstance(new, CleanPhoto):
            photos[slot] = new
    return photos


# --- the report form -------------------------------------------------------------------------
@never_cache
def report_create(request):
    user = request.user if request.user.is_authenticated else None
    if request.method != "POST":
        return _render_form(request, ReportForm(user=user), TOKENS.issue(request))

    token, done = TOKENS.arrived(request)
    if done:
        return redirect("tickets:receipt", done)

    if token is None:
        # no token, or one from an expired session: the texts come back, photos are gone
        form = ReportForm(request.POST, user=user)
        form.is_valid()
        form.add_error(
            None,
            _("Das Formular war zu lange geöffnet. Bitte prüfen Sie Ihre Angaben, wählen Sie "
              "Ihre Fotos noch einmal aus und senden Sie das Formular erneut ab."),
        )  # fmt: skip
        return _render_form(request, form, TOKENS.issue(request))

    kept, complete = _draft_load(request, token)
    form = ReportForm(request.POST, request.FILES, user=user, kept_photos=kept)
    if form.is_spam:
        _draft_delete(request, token)
        return render(request, "reports/report_thanks.html")
    valid = form.is_valid()
    photos = _merge_photos(kept, form)
    _draft_save(request, token, photos, kept)
    form.set_kept_photos(photos)

    step = request.POST.get("schritt", STEP_REVIEW)
    if not valid or step == STEP_CHANGE:
        return _render_form(request, form, token)
    if step != STEP_SUBMIT:
        return _render_review(request, form, token)
    if not complete:
        form.add_error(
            None,
            _("Ihre Fotos konnten wir leider nicht zwischenspeichern. Bitte wählen Sie sie noch "
              "einmal aus."),
        )  # fmt: skip
        return _render_form(request, form, token)

    data = form.cleaned_data
    try:
        with TOKENS.submitting(request, token):
            report = report_submit(
                category=data["category"],
                description=data["description"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                photos=[(photos[slot], data.get(f"alt_{slot}", "")) for slot in sorted(photos)],
                name=data.get("name", ""),
                email="" if user else data.get("email", ""),
                user=user,
                attributes=data["attributes"],
            )
    except AttributeAnswerErrors as error:
        for code, message in error.errors.items():
            name = ATTRIBUTE_PREFIX + code
            form.add_error(name if name in form.fields else None, message)
        return _render_form(request, form, token)
    except ApplicationError as error:
        field = {"location": "address"}.get(error.field, error.field)
        form.add_error(field if field in form.fields else None, error.message)
        return _render_form(request, form, token)
    TOKENS.set(request, token, report.ticket.access_token)
    _draft_delete(request, token)
    receipt_remember(request, report.ticket)
    return redirect("tickets:receipt", report.ticket.access_token)


def _render_form(request, form: ReportForm, token: str):
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "form_token": token,
            "account_email": form.user.email if form.user is not None else "",
            "streets": street_suggestions(),
            "street_list_id": STREET_LIST_ID,
            # live suggestions only help when a geocoder knows more than the street list
            "address_suggest_url": reverse("reports:address-suggest") if geocoder_enabled() else "",
        },
    )


@never_cache
@require_GET
def report_attribute_fields(request):
    """The Zusatzfragen of a category as a piece of the form, for static/js/reports.js to show
    when a category is chosen (without JavaScript they appear when the form comes back)."""
    form = ReportForm(initial={"category": request.GET.get("category", "")})
    return render(request, "reports/_attribute_fields.html", {"form": form})


@never_cache
@require_GET
def address_suggest(request):
    """Suggestions for the address field while typing (JSON); only asked for when a geocoder is
    configured. Limited per IP address, as it may ask the geocoder."""
    limited = rate_limit_exceeded(
        request,
        scope="address-suggest",
        limit=settings.REPORTS_ADDRESS_SUGGEST_LIMIT_PER_MINUTE,
        seconds=60,
    )
    if limited:
        return JsonResponse({"suggestions": []}, status=429, headers=limited)
    return JsonResponse({"suggestions": address_suggestions(request.GET.get("q", ""))})


def _render_review(request, form: ReportForm, token: str):
    data = form.cleaned_data
    category = data["category"]
    nearby = report_nearby_open(
        category_id=category.pk,
        latitude=float(data["latitude"]),
        longitude=float(data["longitude"]),
        radius_m=category.duplicate_radius_m,
    )
    return render(
        request,
        "reports/report_review.html",
        {
            "form": form,
            "data": data,
            "form_token": token,
            "account_email": form.user.email if form.user is not None else "",
            "photos": [
                {"slot": slot, "alt": data.get(f"alt_{slot}", "")}
                for slot in sorted(form.kept_photos)
            ],
            "duplicates": [
                {"report": report, "distance": distance_label(meters)} for report, meters in nearby
            ],
            "attribute_answers": form.attribute_answers(),
        },
    )


def distance_label(meters: float) -> str:
    if meters < 10:
        return _("weniger als 10 m entfernt")
    return _("ca. %(m)s m entfernt") % {"m": int(round(meters, -1))}


@never_cache
def report_draft_photo(request, token: str, slot: int):
    """A photo kept between the steps, for the review page; only the session that sent it may
    see it."""
    if slot not in PHOTO_SLOTS or TOKENS.state(request, token) != "":
        raise Http404
    photo = report_photo_drafts_get(token=token, slot=slot).get(slot)
    if photo is None:
        raise Http404
    response = HttpResponse(photo.content, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- public pages ----------------------------------------------------------------------------
def report_list(request):
    """The list is a public part of the page (`{% public_part %}`): its rows are read only when
    it is rendered, not when it comes from the cache."""
    filter_form = ReportFilterForm(request.GET or None)

    def page():
        paginator = Paginator(report_list_public_filtered(**filter_form.filters()), LIST_PER_PAGE)
        return paginator.get_page(request.GET.get("seite"))

    return render(
        request,
        "reports/report_list.html",
        {
            "filter_form": filter_form,
            "page_obj": SimpleLazyObject(page),
            "is_filtered": SimpleLazyObject(lambda: any(filter_form.filters().values())),
        },
    )


def _report_or_404(number: str):
    report = report_get_public(number=number)
    if report is None:
        raise Http404
    return report


def report_detail(request, number: str):
    report = _report_or_404(number)
    return _render_detail(request, report, SupportForm(user=request.user))


def _render_detail(request, report, support_form: SupportForm):
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "ticket": report.ticket,
            # read when the public part of the page is rendered, not when it comes from the cache
            "timeline": SimpleLazyObject(
                lambda: ticket_public_timeline(ticket=report.ticket) if report.ticket_id else []
            ),
            "support_form": support_form,
        },
    )

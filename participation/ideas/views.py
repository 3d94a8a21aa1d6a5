"""The public pages of the Ideenpool, under /ideenpool/: the list, the idea page with its support
box and timeline, "Unterstützen" and withdrawing, the idea form and its similar-ideas lookup.

Forms work without JavaScript: a POST, then a redirect to the idea page with a message. Invalid
input shows the form again with the error summary (400); a refused action says why: 403 (not
allowed now), 409 (once is enough), 429 (too many ideas today).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from participation.contributions import services as contributions
from participation.contributions.constants import CHANNEL_RECEIVED, ModerationState
from participation.contributions.forms import CommentForm
from participation.contributions.selectors import comment_refusal, discussion_for, page_number
from participation.projects.selectors import district_choices, field_of_action_choices
from portal.core.errors import ApplicationError
from portal.core.formtokens import FormTokens
from portal.core.pagecache import lazy_context
from portal.core.ratelimit import rate_limit_exceeded, rate_limit_hit

from . import services
from .constants import CLOSED_FOR_SUPPORT, PAGE_SIZE, REASON_REQUIRED, TITLE_MAX
from .forms import IdeaFilterForm, IdeaForm
from .models import PoolIdea
from .selectors import (
    idea_get_for_page,
    idea_get_public,
    idea_list_authored,
    idea_list_filtered,
    idea_list_supported,
    idea_similar,
    idea_timeline,
    public_project_ids,
    supported_idea_ids,
    supports_any_pool_idea,
    viewer_answers,
)
from .services import AlreadyDone, IdeaRefused

SUBMIT_WINDOW = 24 * 60 * 60
SIMILAR_LIMIT_PER_MINUTE = 120

# One-time form tokens (portal.core.formtokens); the value a token keeps is the id of the
# idea it created. A second POST of a used token leads to the same idea instead of a second one.
TOKENS = FormTokens("ideas_form_tokens", kept=10)


# --- helpers --------------------------------------------------------------------------------------
def _refused(request, message: str, *, back_url: str, back_label: str = "", status: int = 403):
    return render(
        request,
        "ideas/refused.html",
        {
            "message": message,
            "back_url": back_url,
            "back_label": back_label or _("Zurück zum Ideenpool"),
            "status": status,
        },
        status=status,
    )


def _idea_or_404(pk: int) -> PoolIdea:
    idea = idea_get_public(pk=pk)
    if idea is None:
        raise Http404
    return idea


def _placeholder(idea: PoolIdea) -> str:
    """What the public sees instead of a hidden or deleted idea ("" while it is visible)."""
    if idea.state == ModerationState.DELETED:
        return _("Diese Idee wurde gelöscht.")
    if idea.state == ModerationState.HIDDEN:
        if idea.moderation_reason:
            return _("Von der Moderation ausgeblendet: %(reason)s") % {
                "reason": idea.moderation_reason
            }
        return _("Diese Idee wurde von der Moderation ausgeblendet.")
    if idea.state == ModerationState.AUTO_HIDDEN:
        return _(
            "Diese Idee wurde mehrfach gemeldet und ist ausgeblendet, bis die Moderation sie "
            "geprüft hat."
        )
    return ""


def _support_state(idea: PoolIdea, now) -> None:
    """Facts of the support window for the templates: `support_state` is "open", "ended" (the
    weeks are over) or "closed" (the city has said no), `days_left_now` the whole days left."""
    if idea.stage in CLOSED_FOR_SUPPORT:
        idea.support_state = "closed"
    elif now < idea.support_ends_at:
        idea.support_state = "open"
    else:
        idea.support_state = "ended"
    idea.days_left_now = idea.days_left(now)


def _support_box(request, idea: PoolIdea, *, supported: bool, now) -> dict:
    """What the support box offers this person: `action` is "support", "withdraw", "login" or
    None, `reason` says why nothing is offered."""
    user = request.user
    if supported:
        window_open = idea.is_visible and now < idea.support_ends_at
        return {"action": "withdraw" if window_open else None, "reason": ""}
    refusal = services.support_refusal(idea, now)
    if refusal:
        return {"action": None, "reason": refusal}
    if not user.is_authenticated:
        return {"action": "login", "reason": services.account_refusal(user)}
    if idea.author_id is not None and idea.author_id == user.pk:
        return {"action": None, "reason": _("Ihre eigene Idee können Sie nicht unterstützen.")}
    refusal = services.account_refusal(user)
    if refusal:
        return {"action": None, "reason": refusal}
    return {"action": "support", "reason": ""}


def _project_link(request, projects: dict, pk: int | None) -> dict | None:
    project = projects.get(pk)
    if project is None:
        return None
    return {"title": project.title, "url": project.get_url(request)}


# --- list -----------------------------------------------------------------------------------------
def idea_list_view(request):
    """The Ideenpool: filters and sorting as a GET form, a page of cards. A fixed number of
    queries: counts come from the ideas' support_count, "mine" is one query for the page. The
    list is a public part of the page (`{% public_part %}`): shared by everybody who supports no
    idea, kept for each supporter apart (their badges); its rows are read only when it is not in
    the cache."""
    supporter = str(request.user.pk) if supports_any_pool_idea(request.user) else ""

    def compute():
        form = IdeaFilterForm(
            request.GET, districts=district_choices(), fields_of_action=field_of_action_choices()
        )
        ideas = idea_list_filtered(**form.filters())
        page_obj = Paginator(ideas, PAGE_SIZE).get_page(request.GET.get("seite"))
        cards = list(page_obj.object_list)
        mine = (
            supported_idea_ids(user=request.user, idea_ids=[idea.pk for idea in cards])
            if supporter
            else set()
        )
        now = timezone.now()
        for idea in cards:
            idea.is_supported = idea.pk in mine
            _support_state(idea, now)
        return {
            "filter_form": form,
            "page_obj": page_obj,
            "ideas": cards,
            "result_count": page_obj.paginator.count,
            "is_filtered": form.is_filtered,
        }

    context = lazy_context(
        compute, "filter_form", "page_obj", "ideas", "result_count", "is_filtered"
    )
    context.update(
        supporter=supporter,
        quorum=settings.IDEAS_QUORUM_SUPPORTS,
        weeks=settings.IDEAS_SUPPORT_WEEKS,
    )
    return render(request, "ideas/idea_list.html", context)


# --- the idea page --------------------------------------------------------------------------------
# Not never_cache: for visitors without an account it is a public page from the cache
# (portal.core.pagecache); signed-in people get it with no-store (portal.core.middleware).
def idea_detail_view(request, pk: int, *, comment_form=None, status: int = 200):
    idea = idea_get_for_page(pk=pk)
    if idea is None:
        raise Http404
    placeholder = _placeholder(idea)
    if placeholder:
        return render(request, "ideas/idea_detail.html", {"idea": idea, "placeholder": placeholder})
    # what the page asks about the viewer, in one query: blocked (the rules), wrote in the
    # discussion, supports the idea
    viewer = viewer_answers(user=request.user, idea=idea)
    # the discussion of the idea: the same model, templates and moderation as on a Vorhaben
    discussion = discussion_for(
        target=idea,
        user=request.user,
        page=page_number(request),
        own=bool(viewer.get("contributions:comments")),
    )
    if discussion.may_comment:
        discussion.form = comment_form or CommentForm()
    now = timezone.now()
    _support_state(idea, now)
    supported = bool(viewer.get("ideas:supported"))
    # what the public parts of the page show ({% public_part %}): read when they are rendered
    links = lazy_context(lambda: _project_links(request, idea), "improves", "became")
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "placeholder": "",
            "author_label": (
                str(CHANNEL_RECEIVED.get(idea.channel, "")) if idea.is_offline else ""
            ),
            **links,
            "show_reason": idea.stage in REASON_REQUIRED and bool(idea.stage_reason),
            "timeline": SimpleLazyObject(lambda: idea_timeline(idea=idea)),
            "is_supported": supported,
            "support": _support_box(request, idea, supported=supported, now=now),
            "discussion": discussion,
        },
        status=status,
    )


def _project_links(request, idea: PoolIdea) -> dict:
    public_ids = public_project_ids([idea.improves_id, idea.became_id])
    projects = Page.objects.in_bulk(public_ids) if public_ids else {}
    return {
        "improves": _project_link(request, projects, idea.improves_id),
        "became": _project_link(request, projects, idea.became_id),
    }


@require_POST
def idea_comment_view(request, pk: int):
    """A comment on a pool idea (shown in the discussion on its page)."""
    idea = _idea_or_404(pk)
    back = idea.get_absolute_url()
    label = _("Zurück zur Idee")
    refusal = comment_refusal(user=request.user, target=idea)
    if refusal is not None:
        return _refused(request, refusal.message, back_url=back, back_label=label)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return idea_detail_view(request, idea.pk, comment_form=form, status=400)
    try:
        comment = contributions.comment_create(
            actor=request.user, target=idea, text=form.cleaned_data["text"]
        )
    except (contributions.ContributionRefused, contributions.AlreadyDone) as error:
        return _refused(request, error.message, back_url=back, back_label=label)
    except ApplicationError as error:
        _form_error(form, error)
        return idea_detail_view(request, idea.pk, comment_form=form, status=400)
    messages.success(request, _("Danke! Ihr Kommentar ist veröffentlicht."))
    return redirect(f"{back}#{comment.anchor}")


# --- support and withdraw -------------------------------------------------------------------------
def _support_action(request, pk: int, *, service, success: str):
    idea = _idea_or_404(pk)
    back = idea.get_absolute_url()
    label = _("Zurück zur Idee")
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    try:
        service(actor=request.user, idea=idea)
    except AlreadyDone as error:
        return _refused(request, error.message, back_url=back, back_label=label, status=409)
    except ApplicationError as error:  # IdeaRefused, or anything else the service refuses
        return _refused(request, error.message, back_url=back, back_label=label, status=403)
    messages.success(request, success)
    return redirect(back)


@require_POST
def idea_support_view(request, pk: int):
    return _support_action(
        request,
        pk,
        service=services.idea_support,
        success=_("Danke! Sie unterstützen jetzt diese Idee."),
    )


@require_POST
def idea_withdraw_view(request, pk: int):
    return _support_action(
        request,
        pk,
        service=services.idea_support_withdraw,
        success=_("Ihre Unterstützung ist zurückgezogen."),
    )


# --- the idea form --------------------------------------------------------------------------------


def _render_form(request, form: IdeaForm, token: str, *, status: int = 200):
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "form_token": token, "refusal": None},
        status=status,
    )


def _form_error(form, error: ApplicationError) -> None:
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


@never_cache
@require_http_methods(["GET", "POST"])
def idea_submit_view(request):
    refusal = services.account_refusal(request.user)
    if refusal:
        if request.method == "POST":
            return _refused(request, refusal, back_url=reverse("ideas:submit"))
        return render(request, "ideas/idea_form.html", {"form": None, "refusal": refusal})
    if request.method != "POST":
        return _render_form(request, IdeaForm(), TOKENS.issue(request))

    token, done = TOKENS.arrived(request)
    if done:
        return redirect("ideas:detail", int(done))

    form = IdeaForm(request.POST, request.FILES)
    if token is None:
        # no token, or one from an expired session: the texts come back, the photo is gone
        form.is_valid()
        form.add_error(
            None,
            _("Das Formular war zu lange geöffnet. Bitte prüfen Sie Ihre Angaben, wählen Sie ein "
              "Foto gegebenenfalls noch einmal aus und senden Sie das Formular erneut ab."),
        )  # fmt: skip
        return _render_form(request, form, TOKENS.issue(request), status=400)
    if not form.is_valid():
        return _render_form(request, form, token, status=400)

    limit = settings.IDEAS_SUBMIT_LIMIT_PER_USER_DAY
    wait = rate_limit_hit(
        scope="ideas-submit-user", identity=str(request.user.pk), limit=limit, seconds=SUBMIT_WINDOW
    )
    if wait:
        form.add_error(
            None,
            ngettext(
                "Sie haben heute schon %(limit)s Idee eingereicht. Mehr sind an einem Tag nicht "
                "möglich; bitte senden Sie Ihre Idee morgen ab.",
                "Sie haben heute schon %(limit)s Ideen eingereicht. Mehr sind an einem Tag nicht "
                "möglich; bitte senden Sie Ihre Idee morgen ab.",
                limit,
            )
            % {"limit": limit},
        )
        response = _render_form(request, form, token, status=429)
        response["Retry-After"] = str(wait)
        return response

    data = form.cleaned_data
    try:
        with TOKENS.submitting(request, token):
            idea = services.idea_submit(
                actor=request.user,
                title=data["title"],
                text=data["text"],
                field_of_action=data["field_of_action"],
                district=data["district"],
                address=data["address"],
                photo=data["photo"],
                improves=data["improves"],
            )
    except IdeaRefused as error:
        return _refused(request, error.message, back_url=reverse("ideas:list"))
    except ApplicationError as error:
        _form_error(form, error)
        return _render_form(request, form, token, status=400)
    TOKENS.set(request, token, str(idea.pk))
    messages.success(
        request,
        _("Danke! Ihre Idee ist eingegangen und für alle zu sehen. Als Nächstes prüft die Stadt "
          "sie (Vorprüfung). Bei jedem Schritt bekommen Sie eine E-Mail."),
    )  # fmt: skip
    return redirect(idea)


@require_GET
def idea_similar_view(request):
    """Visible ideas with a similar title, as JSON, for static/js/ideas.js while the title is
    typed. Limited per IP address like the other lookups of public forms."""
    limited = rate_limit_exceeded(
        request, scope="ideas-similar-ip", limit=SIMILAR_LIMIT_PER_MINUTE, seconds=60
    )
    if limited:
        return JsonResponse({"ideas": []}, status=429, headers=limited)
    title = request.GET.get("titel", "")[:TITLE_MAX]
    ideas = [
        {
            "id": idea.pk,
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "stage": idea.stage,
            "stage_label": str(idea.get_stage_display()),
            "support_count": idea.support_count,
        }
        for idea in idea_similar(title=title)
    ]
    return JsonResponse({"ideas": ideas})


@never_cache
@login_required
def my_ideas_view(request):
    """Mein Konto → Meine Ideen: what the person submitted and what they support, with the stage
    and the support window of each."""
    now = timezone.now()
    authored = list(idea_list_authored(user=request.user)[:100])
    supported = Paginator(idea_list_supported(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    for idea in authored:
        _support_state(idea, now)
    for idea in supported:
        idea.is_supported = True
        _support_state(idea, now)
    return render(request, "ideas/my_ideas.html", {"authored": authored, "supported": supported})

"""One login for everyone: only allauth's views take a password (rate limit, e-mail confirmation,
second factor). Every URL pattern is tried, Wagtail's included, so a login view added later by a
package or by us fails here."""

from re import _constants as sre
from re import _parser as sre_parse

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import user_logged_in
from django.contrib.auth.views import LoginView
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, include, path, resolve
from django.urls.exceptions import Resolver404
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.models import Page, PageViewRestriction

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# session keys that a password buys: a login, or a passed page or collection password
GRANTS = ("_auth_user_id", "passed_page_view_restrictions", "passed_collection_view_restrictions")

_CATEGORY_SAMPLE = {
    sre.CATEGORY_DIGIT: "1",
    sre.CATEGORY_WORD: "x",
    sre.CATEGORY_NOT_DIGIT: "x",
    sre.CATEGORY_NOT_WORD: "-",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "x",
}


def example(regex: str) -> str:
    """One string the regular expression matches (ids become 1, words x)."""
    return _emit(sre_parse.parse(regex))


def _emit(items) -> str:
    out = []
    for op, arg in items:
        if op is sre.LITERAL:
            out.append(chr(arg))
        elif op in (sre.NOT_LITERAL, sre.ANY):
            out.append("x" if op is sre.ANY or chr(arg) != "x" else "y")
        elif op is sre.IN:
            out.append(_first_in(arg))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, sub = arg
            out.append(_emit(sub) * max(low, 1))
        elif op is sre.SUBPATTERN:
            out.append(_emit(arg[-1]))
        elif op is sre.BRANCH:
            out.append(_emit(arg[1][0]))
        elif op not in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            raise ValueError(f"no example for {op} in a URL pattern")
    return "".join(out)


def _first_in(items) -> str:
    if items and items[0][0] is sre.NEGATE:
        return "x"
    for op, arg in items:
        if op is sre.LITERAL:
            return chr(arg)
        if op is sre.RANGE:
            low, high = arg
            return "1" if low <= ord("1") <= high else chr(low)
        if op is sre.CATEGORY:
            return _CATEGORY_SAMPLE[arg]
    return "x"


def example_paths(urlconf=None) -> list[str]:
    """A concrete path for every URL pattern, walking all includes."""
    paths = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            here = prefix + example(pattern.pattern.regex.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, here)
            else:
                try:
                    resolve("/" + here, urlconf)
                except Resolver404:
                    pytest.fail(f"no example path for {pattern.lookup_str}: /{here}")
                paths.append("/" + here)

    walk(get_resolver(urlconf).url_patterns, "")
    return paths


def views_that_accept_a_password(paths: list[str], email: str) -> list[str]:
    """POST the account's e-mail address and password, in every field name a login form uses,
    to each path; report the paths after which the session holds something a password buys."""
    client = Client(raise_request_exception=False)
    logged_in = []
    receiver = lambda request, **kwargs: logged_in.append(request.path)  # noqa: E731
    user_logged_in.connect(receiver)
    found = []
    try:
        for url in paths:
            client.post(
                url,
                {
                    "login": email,
                    "username": email,
                    "email": email,
                    "password": DEFAULT_PASSWORD,
                    "return_url": "/",
                },
            )
            granted = [key for key in GRANTS if key in client.session]
            if granted or logged_in:
                found.append(f"{url} ({', '.join(granted) or 'user_logged_in'})")
                logged_in.clear()
                client.cookies.clear()
    finally:
        user_logged_in.disconnect(receiver)
    return found


@pytest.fixture
def locked_account():
    """An account that a password alone must never log in: its address is not confirmed and it
    has a second factor. allauth sends a confirmation mail instead; any other login view would
    open a session."""
    user = UserFactory(confirmed=False, is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def shared_password_restrictions():
    """Page and document restrictions with the account's password, as an editor could have set
    them before shared passwords were switched off."""
    from wagtail.models import Collection, CollectionViewRestriction

    # id 1, which the example paths use (PostgreSQL does not reset its sequences between tests)
    PageViewRestriction.objects.create(
        pk=1,
        page=Page.objects.get(pk=1),
        restriction_type=PageViewRestriction.PASSWORD,
        password=DEFAULT_PASSWORD,
    )
    CollectionViewRestriction.objects.create(
        pk=1,
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.PASSWORD,
        password=DEFAULT_PASSWORD,
    )


def test_no_view_but_allauths_accepts_a_password(locked_account, shared_password_restrictions):
    paths = example_paths()
    assert len(paths) > 400  # Wagtail's admin included
    assert "/_util/login/" in paths and "/accounts/login/" in paths
    assert views_that_accept_a_password(paths, locked_account.email) == []


# a URLconf with a login view added, and Wagtail's front-end URLs as they come
urlpatterns = [
    path("admin/", RedirectView.as_view(url="/"), name="wagtailadmin_home"),  # for the middleware
    path("konto-neu/<int:pk>/", include([path("anmelden/", LoginView.as_view())])),
    path("", include(wagtail_urls)),
]


@override_settings(ROOT_URLCONF=__name__, LOGIN_REDIRECT_URL="/")
def test_the_walk_finds_a_login_view_that_is_added(locked_account, shared_password_restrictions):
    """The check above can fail: Django's login view, wherever it is mounted, and Wagtail's own
    front-end login and page password are found."""
    found = views_that_accept_a_password(example_paths(__name__), locked_account.email)
    assert found == [
        "/konto-neu/1/anmelden/ (_auth_user_id)",
        "/_util/authenticate_with_password/1/1/ (passed_page_view_restrictions)",
        "/_util/login/ (_auth_user_id)",
    ]


def test_wagtail_front_end_login_redirects_to_allauth_keeping_next(client):
    response = client.get("/_util/login/?next=/buergerservice/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/buergerservice/"


def test_private_page_sends_visitors_to_allauths_login(client):
    page = Page.objects.get(depth=2)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={page.url}"


def test_editors_cannot_give_a_page_a_shared_password(client, login_with_second_factor):
    login_with_second_factor(client, UserFactory(is_staff=True, is_superuser=True))
    page = Page.objects.get(depth=2)
    html = client.get(f"/admin/pages/{page.pk}/privacy/").json()["html"]
    assert 'value="login"' in html  # the dialog is there
    assert 'value="password"' not in html
    collection_html = client.get("/admin/collections/1/privacy/").json()["html"]
    assert 'value="login"' in collection_html
    assert 'value="password"' not in collection_html

"""Public parts of personal pages (`{% public_part %}`, `public_data`; portal.core.pagecache): a
signed-in person's list page and the public API lists are read from the cache when nothing public
has changed, a write is seen at once, what is theirs (supports, forms) is never shown to another,
and a part is never kept where it must not be (a draft's preview, a form with a token)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from participation.contributions.services import comment_create
from participation.ideas.services import idea_support
from portal.tickets.constants import PublishMode
from services.reports.services import report_submit
from tests.factories import CategoryFactory, UserFactory
from tests.participation.ideas.factories import citizen, submitted_idea

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'FROM "([a-z_]+)"')


@pytest.fixture(autouse=True)
def _site_settings(site_settings):
    """The site's settings exist before the first page is kept (tests/conftest.py)."""


def tables_read(client: Client, url: str) -> set[str]:
    """The tables the page's queries read (FROM clauses)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return {table for query in queries for table in TABLE.findall(query["sql"])}


def signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


def new_report(text: str):
    return report_submit(
        category=CategoryFactory(publish_mode=PublishMode.IMMEDIATE),
        description=text,
        latitude=Decimal("51.4436"),
        longitude=Decimal("7.5653"),
    )


# --- pages of signed-in people --------------------------------------------------------------------
def test_a_signed_in_persons_list_pages_read_their_rows_once(demo_site):
    client = signed_in()
    expected = {
        "/maengel/": "reports_report",
        "/vorhabenliste/": "projects_projectpage",
        "/leistungen/": "catalogue_servicepage",
        "/ideenpool/": "ideas_poolidea",
        "/": "cms_newspage",
    }
    for url, table in expected.items():
        assert table in tables_read(client, url), url
        again = tables_read(client, url)
        assert table not in again, url
        # nothing but the session, the person and (the Ideenpool) their own supports
        assert again <= {"django_session", "accounts_user", "contributions_support"}, url
        # still their page: the header says who is signed in
        assert "Abmelden" in client.get(url).content.decode()


def test_a_new_report_is_on_a_signed_in_persons_list_at_once(demo_site):
    client = signed_in()
    assert "Gullydeckel klappert" not in client.get("/maengel/").content.decode()
    new_report("Gullydeckel klappert")
    assert "Gullydeckel klappert" in client.get("/maengel/").content.decode()


def test_own_supports_are_marked_for_the_supporter_alone():
    idea = submitted_idea(title="Trinkbrunnen am Markt", route=False)
    supporter, other = citizen(), citizen()
    mine, theirs, visitor = signed_in(supporter), signed_in(other), Client()
    badge = "Sie unterstützen diese Idee"
    for client in (mine, theirs, visitor):
        page = client.get("/ideenpool/").content.decode()
        assert "Trinkbrunnen am Markt" in page
        assert badge not in page
    idea_support(actor=supporter, idea=idea)
    assert badge in mine.get("/ideenpool/").content.decode()
    assert badge not in theirs.get("/ideenpool/").content.decode()
    assert badge not in visitor.get("/ideenpool/").content.decode()
    # the count everybody sees changed with the support
    assert "1 von" in theirs.get("/ideenpool/").content.decode()


def test_a_comment_is_on_a_signed_in_persons_idea_page_at_once():
    idea = submitted_idea(title="Trinkbrunnen am Markt", route=False)
    author = citizen()
    client = signed_in(author)
    url = idea.get_absolute_url()
    client.get(url)
    assert "Gute Idee, bitte bald" not in client.get(url).content.decode()
    response = client.post(
        f"/ideenpool/{idea.pk}/kommentar/", {"kommentar-text": "Gute Idee, bitte bald"}
    )
    assert response.status_code == 302
    assert "Gute Idee, bitte bald" in client.get(url).content.decode()


def test_a_discussion_is_shared_by_its_readers_and_rendered_for_its_authors():
    idea = submitted_idea(title="Trinkbrunnen am Markt", route=False)
    author, reader = citizen(), citizen()
    comment_create(actor=author, target=idea, text="Gute Idee, bitte bald")
    url = idea.get_absolute_url()
    readers = signed_in(reader)
    readers.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = readers.get(url).content.decode()
    # the list comes from the cache: no comment's text is read
    assert not any('"contributions_comment"."text"' in query["sql"] for query in queries)
    assert "Gute Idee, bitte bald" in page
    assert "Bearbeiten" not in page
    # the author gets their own buttons, rendered for them
    authors = signed_in(author)
    assert "Bearbeiten" in authors.get(url).content.decode()
    assert "Bearbeiten" not in readers.get(url).content.decode()


# --- the API ------------------------------------------------------------------------------------
def test_a_signed_in_persons_api_list_is_read_once_and_changes_with_a_write(demo_site):
    client = signed_in()
    url = "/api/v1/reports/"
    count = client.get(url).json()["count"]
    again = tables_read(client, url)
    assert "reports_report" not in again
    # the read limit knows a citizen from the session alone: no permission is read
    assert again <= {"django_session", "accounts_user"}
    new_report("Gullydeckel klappert")
    assert client.get(url).json()["count"] == count + 1


def test_open311_answers_from_the_cache_with_the_same_etag(demo_site):
    client = Client(HTTP_COOKIE="sessionid=none")  # a cookie keeps it away from the page cache
    url = "/open311/v2/requests.json"
    first = client.get(url)
    assert "reports_report" not in tables_read(client, url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    new_report("Gullydeckel klappert")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Gullydeckel klappert" in changed.content.decode()


# --- the tag ------------------------------------------------------------------------------------
class Counter:
    """Counts how often a part was rendered."""

    def __init__(self):
        self.renders = 0

    def __str__(self):
        self.renders += 1
        return str(self.renders)


def render(source: str, request, **context) -> str:
    template = Template("{% load page_cache i18n %}" + source)
    return template.render(RequestContext(request, context))


def get(path="/seite/"):
    request = RequestFactory().get(path)
    request.user = UserFactory.build()
    return request


def test_a_part_is_rendered_once_per_address_and_language():
    counter = Counter()
    part = (
        '{% public_part "test" %}{% get_current_language as lang %}{{ lang }} {{ n }}'
        "{% endpublic_part %}"
    )
    assert render(part, get(), n=counter) == "de 1"
    assert render(part, get(), n=counter) == "de 1"
    assert render(part, get("/seite/?seite=2"), n=counter) == "de 2"
    with translation.override("en"):
        assert render(part, get(), n=counter) == "en 3"


def two_browsers():
    """Two requests of browsers with CSRF secrets of their own ("a…", "b…")."""
    first, second = get(), get()
    first.META["CSRF_COOKIE"], second.META["CSRF_COOKIE"] = "a" * 32, "b" * 32
    return first, second


def secrets_of(html: str) -> list[str]:
    """The CSRF secret behind each token of the forms in `html`."""
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return [_unmask_cipher_token(token) for token in tokens]


def test_a_form_in_a_part_gets_each_viewers_own_token():
    counter = Counter()
    form = (
        '{% public_part "f" %}<form>{% csrf_token %}{% csrf_field %}</form>{{ n }}'
        "{% endpublic_part %}"
    )
    first, second = two_browsers()
    shown = [render(form, request, n=counter) for request in (first, second)]
    assert [html[-1] for html in shown] == ["1", "1"]  # rendered once, kept
    assert [secrets_of(html) for html in shown] == [["a" * 32] * 2, ["b" * 32] * 2]


def test_a_personal_hole_is_filled_for_each_viewer_while_the_part_is_kept():
    counter = Counter()
    part = (
        '{% public_part "h" %}[{{ n }}|{% personal %}{{ who }}{% endpersonal %}]'
        "{% endpublic_part %}"
    )
    assert render(part, get(), n=counter, who="Anna") == "[1|Anna]"
    assert render(part, get(), n=counter, who="Ben") == "[1|Ben]"


def test_a_hole_in_an_included_template_is_shown_in_place_and_the_part_not_kept():
    counter = Counter()
    included = Template("{% load page_cache %}{% personal %}{{ who }}{% endpersonal %}")
    part = '{% public_part "i" %}{{ n }}:{% include included %}{% endpublic_part %}'
    assert render(part, get(), n=counter, who="Anna", included=included) == "1:Anna"
    assert render(part, get(), n=counter, who="Ben", included=included) == "2:Ben"


def test_a_part_inside_a_kept_part_leaves_its_holes_and_tokens_to_it():
    counter = Counter()
    page = (
        '{% public_part "outer" %}{{ n }}{% public_part "inner" %}<form>{% csrf_token %}</form>'
        "{% personal %}{{ who }}{% endpersonal %}{% endpublic_part %}{% endpublic_part %}"
    )
    first, second = two_browsers()
    mine = render(page, first, n=counter, who="Anna")
    theirs = render(page, second, n=counter, who="Ben")
    assert mine.startswith("1") and mine.endswith("Anna")
    assert theirs.startswith("1") and theirs.endswith("Ben")  # kept, with Ben's own hole
    assert (secrets_of(mine), secrets_of(theirs)) == (["a" * 32], ["b" * 32])


def test_a_part_with_a_persons_token_or_in_a_preview_is_never_kept():
    counter = Counter()
    with_token = (
        '{% public_part "t" %}<input type="hidden" name="csrfmiddlewaretoken" value="{{ t }}">'
        "{{ n }}{% endpublic_part %}"
    )
    assert render(with_token, get(), n=counter, t="abc").endswith("1")
    assert render(with_token, get(), n=counter, t="abd").endswith("2")
    preview = get()
    preview.is_preview = True
    part = '{% public_part "p" %}{{ n }}{% endpublic_part %}'
    assert render(part, preview, n=counter) == "3"
    assert render(part, preview, n=counter) == "4"


def test_without_the_page_cache_every_part_is_rendered(page_cache_off):
    counter = Counter()
    part = '{% public_part "t" %}{{ n }}{% endpublic_part %}'
    assert render(part, get(), n=counter) == "1"
    assert render(part, get(), n=counter) == "2"

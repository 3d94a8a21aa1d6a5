"""Answering a poll without an account: one answer per browser and per account, honeypot, rate
limit per IP address, German validation errors, and the project's counters."""

import pytest
from django.http import HttpRequest
from django.test import Client

from participation.polls.cookies import SALT, browser_key_digest
from participation.polls.models import Answer, Response
from participation.projects.models import ProjectParticipant, ProjectStatistics
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def answer(client, poll, data, **extra):
    return client.post(f"/umfragen/{poll.pk}/antworten/", data, **extra)


def test_an_answer_without_account_is_saved_with_a_signed_httponly_cookie(client, poll, data):
    response = answer(client, poll, data.valid())

    assert response.status_code == 302
    assert response["Location"] == f"{poll.project.url}#umfrage-{poll.pk}"
    saved = Response.objects.get()
    assert saved.user is None and saved.channel == "online" and saved.entered_by is None
    cookie = response.cookies["umfrage_browser"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = HttpRequest()
    request.COOKIES["umfrage_browser"] = cookie.value
    token = request.get_signed_cookie("umfrage_browser", salt=SALT)
    # the database keeps a keyed hash of the token, never the token a browser presents
    assert saved.browser_key == browser_key_digest(token) and token not in saved.browser_key
    assert len(saved.browser_key) == 64

    answers = {a.question.text: a for a in Answer.objects.prefetch_related("choices")}
    assert [c.text for c in answers["Was fehlt am meisten?"].choices.all()] == ["Bäume"]
    assert sorted(c.text for c in answers["Wann sind Sie dort?"].choices.all()) == [
        "abends",
        "morgens",
    ]
    assert answers["Was möchten Sie uns noch sagen?"].text == "Mehr Schatten bitte."

    statistics = ProjectStatistics.objects.get(project=poll.project)
    assert statistics.participants_online == 1 and statistics.contributions_online == 1
    assert statistics.participants_offline == 0
    assert ProjectParticipant.objects.get().key == f"browser:{saved.browser_key}"
    page = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "Vielen Dank! Ihre Antworten sind gespeichert." in page


def test_a_second_answer_from_the_same_browser_is_refused(client, poll, data):
    assert answer(client, poll, data.valid()).status_code == 302
    response = answer(client, poll, data.valid())

    assert response.status_code == 409
    assert "Sie haben diese Umfrage bereits beantwortet" in response.content.decode()
    assert Response.objects.count() == 1
    assert ProjectStatistics.objects.get(project=poll.project).contributions_online == 1


def test_a_forged_cookie_counts_as_a_new_browser(client, poll, data):
    client.cookies["umfrage_browser"] = "gefaelscht-ohne-signatur-0123456789"
    assert answer(client, poll, data.valid()).status_code == 302
    assert Response.objects.get().browser_key != "gefaelscht-ohne-signatur-0123456789"


def test_a_signed_in_person_answers_once_whatever_the_browser(poll, data):
    user = UserFactory()
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    assert answer(first, poll, data.valid()).status_code == 302
    response = answer(second, poll, data.valid())

    assert response.status_code == 409
    assert Response.objects.get().user == user
    assert ProjectParticipant.objects.get().key == f"user:{user.pk}"


def test_signing_in_after_answering_does_not_allow_a_second_answer(client, poll, data):
    assert answer(client, poll, data.valid()).status_code == 302
    client.force_login(UserFactory())
    assert answer(client, poll, data.valid()).status_code == 409
    assert Response.objects.count() == 1


def test_the_page_shows_that_this_browser_has_answered(client, poll, data):
    answer(client, poll, data.valid())
    text = client.get(f"/umfragen/{poll.pk}/").content.decode()
    assert "Vielen Dank: Sie haben an dieser Umfrage teilgenommen." in text
    assert f'action="/umfragen/{poll.pk}/antworten/"' not in text
    # another browser still gets the form
    text = Client().get(f"/umfragen/{poll.pk}/").content.decode()
    assert f'action="/umfragen/{poll.pk}/antworten/"' in text


def test_the_honeypot_pretends_success_and_saves_nothing(client, poll, data):
    response = answer(client, poll, data.valid(**{f"umfrage{poll.pk}-homepage": "http://spam"}))
    assert response.status_code == 302
    assert not Response.objects.exists()
    assert not ProjectStatistics.objects.filter(project=poll.project, contributions_online__gt=0)
    assert "umfrage_browser" not in response.cookies


def test_the_rate_limit_per_ip_address(poll, data, settings):
    settings.POLLS_ANSWER_LIMIT_PER_IP_HOUR = 2
    for _ in range(2):  # two households behind one address
        assert answer(Client(), poll, data.valid()).status_code == 302
    response = answer(Client(), poll, data.valid())

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "zu viele Antworten" in response.content.decode()
    assert Response.objects.count() == 2
    # another address is not affected
    assert answer(Client(REMOTE_ADDR="10.1.2.3"), poll, data.valid()).status_code == 302


def test_the_rate_limit_works_on_the_real_redis(redis_cache, poll, data, settings):
    settings.POLLS_ANSWER_LIMIT_PER_IP_HOUR = 1
    assert answer(Client(), poll, data.valid()).status_code == 302
    assert answer(Client(), poll, data.valid()).status_code == 429
    assert Response.objects.count() == 1


# --- validation ----------------------------------------------------------------------------------
def _errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_required_question_left_out(client, poll, data):
    text = _errors_of(answer(client, poll, data.valid(**{data.name(0): ""})))
    assert "Bitte korrigieren Sie folgende Angaben:" in text
    assert "Bitte beantworten Sie diese Frage." in text
    assert f'href="#id_{data.name(0)}_0"' in text  # the summary links to the first option
    assert not Response.objects.exists()


def test_a_choice_of_another_question_is_refused(client, poll, data):
    foreign = data.choice(1, "mittags")
    text = _errors_of(answer(client, poll, data.valid(**{data.name(0): foreign})))
    assert "Bitte wählen Sie eine der genannten Antworten aus." in text
    assert not Response.objects.exists()


def test_sonstiges_needs_its_text(client, poll, data):
    text = _errors_of(answer(client, poll, data.valid(**{data.name(0): "sonstiges"})))
    assert "Bitte beschreiben Sie Ihre Antwort unter „Sonstiges“." in text
    assert not Response.objects.exists()


def test_a_text_under_sonstiges_chooses_sonstiges(client, poll, data):
    values = data.valid(**{data.name(0, "_other"): "Ein Trinkbrunnen"})
    del values[data.name(0)]
    assert answer(client, poll, values).status_code == 302
    saved = Answer.objects.get(question=data.questions[0])
    assert saved.other_text == "Ein Trinkbrunnen" and not saved.choices.exists()


def test_a_text_under_sonstiges_beside_another_single_choice_is_refused(client, poll, data):
    values = data.valid(**{data.name(0, "_other"): "Ein Trinkbrunnen"})
    text = _errors_of(answer(client, poll, values))
    assert "aber eine andere Antwort gewählt" in text
    assert not Response.objects.exists()


def test_free_text_too_long(client, poll, data, settings):
    settings.POLLS_FREE_TEXT_MAX_LENGTH = 20
    text = _errors_of(answer(client, poll, data.valid(**{data.name(2): "x" * 21})))
    assert "höchstens 20 Zeichen (jetzt 21)" in text
    assert not Response.objects.exists()


def test_single_choice_takes_one_answer(poll, data):
    from participation.polls.services import AnswerInput, poll_answer
    from portal.core.errors import ApplicationError

    question = data.questions[0]
    two = tuple(question.choices.values_list("pk", flat=True)[:2])
    with pytest.raises(ApplicationError, match="nur eine Antwort"):
        poll_answer(
            poll=poll, answers=[AnswerInput(question_id=question.pk, choice_ids=two)],
            browser_key="x" * 32,
        )  # fmt: skip
    assert not Response.objects.exists()


def test_an_empty_answer_is_refused(client, poll, data):
    from participation.polls.models import Question

    Question.objects.filter(poll=poll).update(required=False)
    text = _errors_of(answer(client, poll, {}))
    assert not Response.objects.exists()
    assert "Bitte beantworten Sie mindestens eine Frage." in text


def test_another_poll_with_a_required_question_does_not_get_in_the_way(client, poll, data):
    """Regression: the questions were read through the prefetched relation, whose queryset
    was not filtered by poll, so a required question of any other poll was demanded too."""
    from .conftest import make_poll

    make_poll(poll.project, title="Eine zweite Umfrage")
    response = answer(client, poll, data.valid())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Response.objects.filter(poll=poll).count() == 1

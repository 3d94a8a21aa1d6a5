"""Schemathesis against `/api/schema/`, on the demo city's data: no request it builds from the
schema, valid or not, makes the API answer 500 or anything the schema does not describe
(status, content type, body), anonymously or as staff with a second factor.

Fixed seed (derandomized), bounded examples: the same requests on every run."""

from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from participation.ideas.models import PoolIdea
from participation.projects.models import ProjectPage
from portal.departments.models import Department, DepartmentMembership, District
from portal.tickets.models import Ticket
from services.catalogue.models import ServicePage
from services.reports.models import Report
from tests.factories import StaffUserFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# examples per operation: valid requests, requests that break the schema, and (for the detail
# operations) valid requests for objects that exist; each is sent anonymously and as staff
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}
EXISTING_EXAMPLES = 10
HYPOTHESIS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
# no made-up session cookies: the staff requests carry the clerk's own
CONFIG = schemathesis.Config.from_dict(
    {"seed": 13, "generation": {"deterministic": True, "with-security-parameters": False}}
)


def existing_keys() -> dict[str, tuple[str, list]]:
    """Path parameter and real values of each detail operation, from the demo city."""
    return {
        "/api/v1/departments/{id}/": ("id", list(Department.objects.values_list("pk", flat=True))),
        "/api/v1/districts/{id}/": ("id", list(District.objects.values_list("pk", flat=True))),
        "/api/v1/ideas/{id}/": (
            "id",
            [str(pk) for pk in PoolIdea.objects.values_list("pk", flat=True)],
        ),
        "/api/v1/projects/{id_or_slug}/": (
            "id_or_slug",
            list(ProjectPage.objects.values_list("slug", flat=True)),
        ),
        "/api/v1/reports/{number}/": (
            "number",
            list(Report.objects.values_list("ticket__number", flat=True)),
        ),
        "/api/v1/services/{id_or_slug}/": (
            "id_or_slug",
            list(ServicePage.objects.values_list("slug", flat=True)),
        ),
        "/api/v1/tickets/{number}/": (
            "number",
            list(Ticket.objects.values_list("number", flat=True)),
        ),
    }


@contextmanager
def connection_kept_open():
    """Django's WSGI application as the test client runs it: the end of a request must not
    close the database connection that holds the test's transaction (and the demo data)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def staff_session(demo_site, client, login_with_second_factor):
    """A clerk of every department (so that the tickets list has rows), logged in with TOTP."""
    clerk = StaffUserFactory()
    DepartmentMembership.objects.bulk_create(
        DepartmentMembership(department=department, user=clerk)
        for department in Department.objects.all()
    )
    login_with_second_factor(client, clerk)
    return client.cookies["sessionid"].value


@pytest.mark.slow
def test_api_conforms_to_its_schema(demo_site, staff_session, settings):
    # Throttling is answered by a documented 429 (tests/portal/core/test_api.py); here it would
    # only stop the requests from reaching the code under test.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    statuses = Counter()
    with connection_kept_open():
        failures = check_all_operations(staff_session, existing_keys(), statuses)
    assert not failures, "\n\n".join(failures)

    # the requests reached the data: every list and every existing object answered 200 (tickets
    # only to staff, and never to anonymous requests)
    for label in {label for label, _, _ in statuses}:
        who = "staff" if "/tickets/" in label else "anonym"
        assert statuses[(label, who, 200)] > 0, label
    assert not [key for key in statuses if "/tickets/" in key[0] and key[1:] == ("anonym", 200)]


def check_all_operations(staff_session: str, keys: dict, statuses: Counter) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 14
    failures = []
    for operation in operations:
        strategies = {
            mode: (operation.as_strategy(generation_mode=mode), examples)
            for mode, examples in EXAMPLES.items()
        }
        if operation.path in keys:
            name, values = keys[operation.path]
            strategies["existing"] = (
                st.sampled_from(values).flatmap(
                    lambda value, name=name, operation=operation: operation.as_strategy(
                        path_parameters={name: value}
                    )
                ),
                EXISTING_EXAMPLES,
            )
        for kind, (strategy, examples) in strategies.items():

            @given(case=strategy)
            @settings(HYPOTHESIS, max_examples=examples)
            def conforms(case):
                for who, cookies in (("anonym", None), ("staff", {"sessionid": staff_session})):
                    try:
                        response = case.call_and_validate(checks=CHECKS, cookies=cookies)
                    except FailureGroup as failure:
                        failure.add_note(f"{who}: {case.as_curl_command()}")
                        raise
                    statuses[(case.operation.label, who, response.status_code)] += 1

            try:
                conforms()
            # every operation is tried, then all failures are reported together
            except (Exception, FailureGroup) as failure:  # noqa: BLE001
                failures.append(f"{operation.label} ({kind}):\n{describe(failure)}")
    return failures


def describe(failure: BaseException) -> str:
    """A check's failure with the request that caused it (the note `conforms` adds)."""
    parts = [str(failure)]
    if isinstance(failure, BaseExceptionGroup):
        parts = [describe(inner) for inner in failure.exceptions]
    return "\n".join([*parts, *getattr(failure, "__notes__", [])])

import time

import pytest

from portal.celery import app as celery_app
from tests.conftest import _use_broker


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_is_ok_with_real_redis_and_worker(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok"}


@pytest.mark.integration
@pytest.mark.django_db
def test_healthz_reports_missing_worker(client, redis_server):
    previous = celery_app.conf.broker_url
    _use_broker(redis_server.url)
    try:
        response = client.get("/healthz")
    finally:
        _use_broker(previous)
    assert response.status_code == 503
    assert response.json() == {
        "status": "fail", "database": "ok", "redis": "ok", "worker": "down"
    }  # fmt: skip


@pytest.mark.django_db
def test_healthz_reports_dead_redis_quickly(client):
    # the test settings point the broker at a port where nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_process_shares_the_test_database(celery_worker):
    """The harness's worker is a separate process on the real Redis, writing to the same
    database as the test: what later integration tests of ticket routing rely on."""
    from tests.factories import DepartmentFactory
    from tests.worker_tasks import rename_department

    department = DepartmentFactory(name="Tiefbauamt")
    rename_department.delay(department.pk, "Tiefbau- und Verkehrsamt")

    def renamed():
        department.refresh_from_db()
        return department.name == "Tiefbau- und Verkehrsamt"

    deadline = time.monotonic() + 15
    while not renamed() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert department.name == "Tiefbau- und Verkehrsamt"

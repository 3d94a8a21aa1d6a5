"""Production refuses to start half-configured, Django's deployment checks are clean, and
citizens read dates in German and in Berlin time."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import open_ticket

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "3f9a0c7e1b5d4e2a8c6f0b9d7e5a3c1f2e4d6b8a",
    "DATABASE_URL": "sqlite:////tmp/portal-check.sqlite3",
    "ALLOWED_HOSTS": "portal.schwerte.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "BASE_URL": "https://portal.schwerte.example",
}


def _run(args, extra_env):
    unset = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings.production", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_production_refuses_to_start_without_secrets():
    result = _run(["check"], {})
    assert result.returncode != 0
    for name in PRODUCTION_ENV:
        assert name in result.stderr


def test_production_refuses_a_single_missing_secret():
    env = dict(PRODUCTION_ENV)
    del env["REDIS_URL"]
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_check_deploy_warns_only_that_the_demo_payment_provider_takes_no_money():
    env = {**PRODUCTION_ENV, "PAYMENTS_DEMO_WEBHOOK_SECRET": "w" * 40}
    result = _run(["check", "--deploy"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(payments.W001) The demo payment provider is active: no money is taken." in output
    assert "System check identified 1 issue" in output, output


@pytest.mark.django_db
def test_citizens_read_times_in_german_and_in_berlin_time(client, time_machine):
    """The status page of an Anliegen sent at 10:15 UTC says 12:15 in summer, 11:15 in winter."""
    for sent, shown in (
        (datetime(2026, 7, 1, 10, 15, tzinfo=UTC), "1. Juli 2026, 12:15 Uhr"),
        (datetime(2026, 1, 15, 10, 15, tzinfo=UTC), "15. Januar 2026, 11:15 Uhr"),
    ):
        time_machine.move_to(sent, tick=False)
        ticket = open_ticket(message="Laterne defekt")
        page = client.get(f"/anliegen/status/{ticket.access_token}/").content.decode()
        assert '<html lang="de"' in page
        assert shown in page, sent

"""Production refuses to start half-configured, and Django's deployment checks are clean."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "3f9a0c7e1b5d4e2a8c6f0b9d7e5a3c1f2e4d6b8a",
    "DATABASE_URL": "sqlite:////tmp/portal-check.sqlite3",
    "ALLOWED_HOSTS": "portal.schwerte.example",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
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


def test_german_and_berlin_time():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_TZ


def test_celery_is_configured_for_at_least_once_delivery():
    from portal.settings import base

    assert base.CELERY_TASK_ACKS_LATE is True
    assert base.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert base.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    options = base.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["socket_timeout"] <= 3 and options["socket_connect_timeout"] <= 3
    # a task still running must never be handed to a second worker
    assert options["visibility_timeout"] >= 2 * base.CELERY_TASK_TIME_LIMIT
    assert base.CELERY_TASK_SOFT_TIME_LIMIT < base.CELERY_TASK_TIME_LIMIT

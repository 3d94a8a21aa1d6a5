"""The test harness: a real Redis, a real Celery worker, Debian's Chromium with axe-core."""

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from portal.celery import app as celery_app

# Playwright's sync API runs an event loop in the test thread; Django must not refuse the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(message)


# --- Redis -------------------------------------------------------------------------------------
class RedisServer:
    def __init__(self, tmp_dir: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.cache_url = f"redis://127.0.0.1:{self.port}/1"
        self.dir = tmp_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                "--maxmemory-policy", "noeviction",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait_for(self.ping, 10, "redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server):
    """The default cache on the real Redis, as in production."""
    redis_server.client().flushall()
    caches = {
        "default": {
            "BACKEND": "portal.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.cache_url,
        }
    }
    with override_settings(CACHES=caches):
        yield redis_server


# --- Celery ------------------------------------------------------------------------------------
def _database_url() -> str:
    """The test database as a URL, for processes that must share it (the Celery worker)."""
    cfg = connection.settings_dict
    if cfg["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{cfg['NAME']}"
    auth = cfg["USER"] + (f":{cfg['PASSWORD']}" if cfg["PASSWORD"] else "")
    return f"postgres://{auth}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


def _use_broker(url: str) -> None:
    # kombu keeps one pool per broker URL; forgetting ours makes the app pick the new URL's
    from portal.core import doorbell

    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    doorbell.unpause()  # a new broker is not known to be down


class CeleryWorker:
    def __init__(self, broker_url: str, log_path: Path, env: dict[str, str] | None = None):
        self.broker_url = broker_url
        self.log_path = log_path
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "CELERY_BROKER_URL": self.broker_url,
            "DATABASE_URL": _database_url(),
            **self.extra_env,
        }
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker",
                "--pool=prefork", "--concurrency=1", "--loglevel=info",
                "--without-gossip", "--without-mingle", f"--hostname=test-{os.getpid()}@%h",
                "--include=tests.worker_tasks",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_for(self.ping, 30, f"Celery worker did not answer a ping, see {self.log_path}")

    def ping(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited, see {self.log_path}")
        return bool(celery_app.control.ping(timeout=0.5))

    def pool_children(self) -> list[int]:
        """The pids of the prefork pool's child processes."""
        result = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        )
        return [int(pid) for pid in result.stdout.split()]

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None
            self.log.close()


@pytest.fixture
def start_celery_worker(transactional_db, tmp_path):
    """`start_celery_worker(redis_server, **env)`: a real worker process on a real Redis,
    sharing the test database; extra environment variables reach its settings."""
    workers: list[CeleryWorker] = []
    previous = celery_app.conf.broker_url

    def start(redis_server: RedisServer, **env) -> CeleryWorker:
        redis_server.client().flushall()
        _use_broker(redis_server.url)
        worker = CeleryWorker(redis_server.url, tmp_path / f"worker{len(workers)}.log", env)
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    _use_broker(previous)


@pytest.fixture
def celery_worker(start_celery_worker, redis_server):
    """A real Celery worker process on the session's Redis."""
    return start_celery_worker(redis_server)


@pytest.fixture
def files_on_disk(settings, tmp_path, monkeypatch):
    """Uploads and private files on disk in a folder of the test (media/, private/), the way
    `TEST_STORAGE_DIR` sets them for a worker process: pass the returned folder to
    `start_celery_worker(..., TEST_STORAGE_DIR=str(folder))` and both see the same files."""
    from django.apps import apps
    from django.db import models

    folder = tmp_path / "files"
    (folder / "media").mkdir(parents=True)
    (folder / "private").mkdir()
    settings.MEDIA_ROOT = str(folder / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder / "media")},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder / "private")},
        },
    }
    # a FileField with a callable storage (the private one) took its object when the model was
    # defined: ask it again
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField) and hasattr(
                model_field, "_storage_callable"
            ):
                monkeypatch.setattr(model_field, "storage", model_field._storage_callable())
    return folder


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of the test's own, which the test may stop and start again."""
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _broker_not_paused():
    """A dead broker in one test must not pause the doorbell of the next."""
    from portal.core import doorbell

    doorbell.unpause()


@pytest.fixture
def page_cache_off(settings):
    """Every request renders its page (as for a signed-in person): query counts measure the
    rendering, not an answer from the page cache (portal.core.pagecache)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def public_parts_off(settings):
    """Signed-in people's pages render every part for every request (portal.core.pagecache,
    `{% public_part %}`): a query count with a page asked for before measures the rendering, not
    a part from the cache, while the per-process memo of the CMS still works."""
    settings.PORTAL_PUBLIC_PARTS = False


@pytest.fixture
def site_settings(db):
    """The site's settings exist, as on a running site: the first page view creates them, and
    that write makes every public part kept so far stale (portal.core.pagecache)."""
    from wagtail.models import Site

    from portal.cms.models import SiteSettings

    return SiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def outbox_worker(monkeypatch):
    """A broker that takes every task, and a worker in this process that runs only the outbox's
    send task and the build of a copy of "Meine Daten", at once (other tasks, e.g. routing, stay
    queued). Returns the ids of the outbox messages rung, in order."""
    from celery.app.task import Task

    rung: list[int] = []

    def apply_async(self, args=None, kwargs=None, **options):
        if self.name == "outbox.send":
            rung.append(args[0])
            self.apply(args=args, kwargs=kwargs)
        elif self.name == "privacy.export":
            self.apply(args=args, kwargs=kwargs)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    every_ring_sent(monkeypatch)
    return rung


def every_ring_sent(monkeypatch) -> None:
    """For a broker faked by patching `apply_async`: the marks of the rings for a burst
    (doorbell.ring_once) live in the broker too, so with such a broker every ring is sent."""
    from portal.core import doorbell

    monkeypatch.setattr(
        doorbell, "ring_once", lambda task, object_id, *, bell: doorbell.ring(task, object_id)
    )


@pytest.fixture
def commit_each_request(client, outbox_worker, django_capture_on_commit_callbacks):
    """The test client's requests end as a real commit would: their on-commit work runs when each
    request returns (the outbox's send task at once, see outbox_worker), not at the test's end."""
    request = client.request

    def committed(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(**kwargs)

    client.request = committed
    return client


# --- database ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the serialized migration data (Wagtail's root page, groups) reach every test.

    Django keeps it on the connection object that created the test database. Playwright's sync
    API runs tests in another context, where `connections` hands out other connection objects,
    and `serialized_rollback` then silently restores nothing. Keeping the data on the class
    makes it visible to all of them.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
    yield


# --- content -------------------------------------------------------------------------------------
@pytest.fixture
def demo_site(db):
    """The demo city: pages, departments, districts and accounts, as `make run` loads them."""
    call_command("load_demo", stdout=io.StringIO())


# --- browser -------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _base_url_of_the_live_server(request):
    """Links the portal builds (BASE_URL) lead a browser test to its live server, not to the test
    client's "testserver"."""
    if "live_server" not in request.fixturenames:
        yield
        return
    url = request.getfixturevalue("live_server").url
    with override_settings(BASE_URL=url, WAGTAILADMIN_BASE_URL=url):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does it)")
    return AXE_JS.read_text()


class AxeViolation(AssertionError):
    pass


@pytest.fixture
def axe(axe_source):
    """`axe(page)` fails the test on any WCAG 2.0/2.1 A or AA violation of the page as shown."""

    def check(page) -> None:
        # evaluate() runs outside the page's Content-Security-Policy, so axe needs no exception
        page.evaluate(axe_source + "\n;0")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]
        if violations:
            raise AxeViolation(
                f"{page.url}: {len(violations)} axe violation(s):\n"
                + json.dumps(violations, indent=1, ensure_ascii=False)
            )

    return check


@pytest.fixture
def csp_errors(page):
    """Console messages about blocked content: the strict CSP must not break our own pages."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return errors


# --- staff -------------------------------------------------------------------------------------
@pytest.fixture
def login_with_second_factor():
    """Log a user in through the real allauth flow: password, then a TOTP code."""
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        generate_totp_secret,
    )

    from tests.factories import DEFAULT_PASSWORD
    from tests.mfa import totp_code

    def login(client, user) -> None:
        from allauth.mfa.models import Authenticator

        # again for the same person (a session ended): a new authenticator app
        client.logout()
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        response = client.post(
            "/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response["Location"] == "/accounts/2fa/authenticate/"
        code = totp_code(secret)
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 302

    return login

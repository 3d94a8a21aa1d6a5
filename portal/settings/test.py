"""The test suite. Integrations that tests start for real (Redis, a Celery worker) are switched on
by fixtures; everything else is local and fast."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, VAR_DIR, env

DEBUG = False
# the demo city, as `make run` loads it (tests' `demo_site` fixture); see settings/dev.py
INSTALLED_APPS = ["demo", *INSTALLED_APPS]
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# a worker process writes its e-mails here, where the test can count them
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default=str(VAR_DIR / "test-mail"))
# Unit tests need no Redis; the rate-limit and health tests switch to the real one by fixture.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Without a worker fixture nothing may reach a broker: a dead port fails fast.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:1/0")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "visibility_timeout": 30,
    "unacked_restore_throttle": 1,
}
CELERY_TASK_TIME_LIMIT = 10
CELERY_TASK_SOFT_TIME_LIMIT = 8
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A real worker and the test share files on disk in this folder (a worker test sets it for the
# worker and points the test's own storages there, tests/conftest.py `files_on_disk`).
if TEST_STORAGE_DIR := env("TEST_STORAGE_DIR", default=""):
    STORAGES["default"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(TEST_STORAGE_DIR, "media")},
    }
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(TEST_STORAGE_DIR, "private")},
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: a Celery worker in another process must see the test database.
    # One per test run, so that runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
    # The concurrency tests send 200 requests from 200 threads of this one process: they share
    # its GIL, so the request holding SQLite's write lock runs at a fraction of its speed and the
    # queue behind it drains far slower than behind separate web server processes. The wait for
    # the lock is raised for that (production: 20 s, base.py).
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=60000;"
    )
# the test client's host; a worker process started by a test gets the live server's address
BASE_URL = env("TEST_BASE_URL", default="http://testserver")
WAGTAILADMIN_BASE_URL = BASE_URL

# static files straight from the source folders; no collectstatic needed
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# the test database file lives here
VAR_DIR.mkdir(exist_ok=True)
# each test process writes the open data into a folder of its own, never into var/
OPENDATA_ROOT = env.path("TEST_OPENDATA_ROOT", default=__import__("tempfile").mkdtemp(prefix="od-"))

"""`manage.py load_demo` under the production settings refuses in German with a non-zero exit, and
the database it points at is left exactly as it was: the demo app is not installed there."""

import hashlib
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import ROOT, _database_url
from tests.portal.core.test_settings import PRODUCTION_ENV

# committed rows, which the command's own process sees, and restored for the tests after this one
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_digest() -> dict[str, str]:
    """Per table, a digest of all its rows: any row added, removed or changed shows."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def manage_in_production(*args: str) -> subprocess.CompletedProcess:
    unset = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env.update(
        PRODUCTION_ENV,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DATABASE_URL=_database_url(),  # the test database, as a deployment's own
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_load_demo_refuses_under_production_settings_and_changes_nothing():
    before = database_digest()
    assert before, "the test database has tables"

    result = manage_in_production("load_demo")

    assert result.returncode != 0, result.stdout + result.stderr
    assert "Demo-Inhalte gibt es nur in der Entwicklungsumgebung" in result.stderr
    assert "Es wurde nichts geändert." in result.stderr
    assert "make run" in result.stderr
    assert "Traceback" not in result.stderr
    assert database_digest() == before

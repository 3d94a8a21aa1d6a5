"""Benchmark: tickets routed per second through the real path, beside a trivial Celery task.

Creates N tickets through the contact service (each commit rings the doorbell), with a real
redis-server and a real Celery worker (prefork, 2 processes) on a fresh SQLite database, and
prints tickets routed per second and the p50/p99 time from commit to routed. Prints figures;
never fails on time.

    make bench            # or: .venv/bin/python bench/routing.py [tickets]
"""

import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

workdir = Path(tempfile.mkdtemp(prefix="portal-bench-routing-"))
with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    PORT = sock.getsockname()[1]
BROKER = f"redis://127.0.0.1:{PORT}/0"
ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    "DEBUG": "false",
    "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
    "CELERY_BROKER_URL": BROKER,
    "REDIS_URL": BROKER,
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django

django.setup()

import redis
from django.core.management import call_command
from django.db.models import Max, Min

from portal.contact.services import contact_submit
from portal.tickets.constants import RoutingState
from portal.tickets.models import Category, Ticket


def wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    server = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=PORT)
    wait(lambda: _ping(client), 10)
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "--quiet", "worker",
         "--concurrency=2", "--loglevel=warning", "--without-gossip", "--without-mingle",
         "--include=bench.tasks"],
        cwd=ROOT, env={**os.environ, **ENV},
    )  # fmt: skip
    from portal.celery import app

    try:
        wait(lambda: bool(app.control.ping(timeout=0.5)), 30)
        trivial = trivial_throughput(client, n * 4)
        routing = routing_figures(n)
        idle = idle_latency(20)
    finally:
        worker.terminate()
        worker.wait(20)
        server.terminate()
    print(f"\nRouting benchmark, {n} tickets, worker prefork x2, SQLite, real Redis")
    print(f"  trivial Celery task:   {trivial:8.0f} tasks/s")
    print(f"  tickets routed:        {routing['per_second']:8.1f} tickets/s")
    print(f"  commit -> routed p50:  {routing['p50'] * 1000:8.0f} ms")
    print(f"  commit -> routed p99:  {routing['p99'] * 1000:8.0f} ms")
    print(f"  submit (web side) p50: {routing['submit_p50'] * 1000:8.1f} ms per ticket")
    print(f"  one at a time, commit -> routed p50: {idle * 1000:.0f} ms (idle queue)")


def _ping(client) -> bool:
    try:
        return client.ping()
    except redis.exceptions.ConnectionError:
        return False


def trivial_throughput(client, n: int) -> float:
    from bench.tasks import count_task

    client.set("bench:count", 0)
    start = time.perf_counter()
    for _ in range(n):
        count_task.delay()
    wait(lambda: int(client.get("bench:count")) >= n, 120)
    return n / (time.perf_counter() - start)


def routing_figures(n: int) -> dict:
    category = Category.objects.get(slug="strassenschaden")
    submits = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        contact_submit(kind="anliegen", category=category, message=f"Schlagloch Nr. {i}")
        submits.append(time.perf_counter() - t0)
    tickets = Ticket.objects.filter(summary__startswith="Schlagloch Nr.")
    wait(lambda: not tickets.exclude(routing_state=RoutingState.ROUTED).exists(), 600)
    elapsed = time.perf_counter() - start
    delays = sorted(
        (t.routed_at - t.received_at).total_seconds()
        for t in tickets.only("received_at", "routed_at")
    )
    span = tickets.aggregate(first=Min("received_at"), last=Max("routed_at"))
    wall = (span["last"] - span["first"]).total_seconds() or elapsed
    return {
        "per_second": n / wall,
        "p50": statistics.median(delays),
        "p99": delays[max(0, int(len(delays) * 0.99) - 1)],
        "submit_p50": statistics.median(submits),
    }


def idle_latency(n: int) -> float:
    """Latency with an empty queue: one ticket at a time, waiting for each."""
    category = Category.objects.get(slug="gruen")
    delays = []
    for i in range(n):
        ticket = contact_submit(kind="anliegen", category=category, message=f"Baum {i}")
        wait(lambda t=ticket: Ticket.objects.filter(pk=t.pk, routed_at__isnull=False).exists(), 30)
        ticket.refresh_from_db()
        delays.append((ticket.routed_at - ticket.received_at).total_seconds())
    return statistics.median(delays)


if __name__ == "__main__":
    main()

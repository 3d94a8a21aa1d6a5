"""Benchmark: tickets routed per second through the real path, beside a trivial Celery task.

Creates a burst of N tickets through the contact service from several processes at once (the web
side; each commit rings the doorbell), with a real
redis-server and real Celery workers (prefork) on a fresh database: SQLite (the default) or a
throwaway PostgreSQL 15 cluster (`--db pg`, started as CI starts it and removed at the end). Prints
the trivial task's rate, tickets routed per second and the p50/p99 time from commit to routed, all
measured in the same run with the same workers. While the burst comes in, the rate of routing is
bounded by the rate the web side commits; a second burst, committed while the workers take
nothing, shows the workers' routing capacity beside the trivial task's. Prints figures; never
fails on time.

    make bench            # or: .venv/bin/python bench/routing.py [tickets] [--db pg]
                          #         [--workers N] [--concurrency N] [--submitters N]

Database connections are kept between tasks (CONN_MAX_AGE=60, as in production settings).
"""

import argparse
import atexit
import io
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tickets", nargs="?", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "pg"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (hosts)")
    parser.add_argument("--concurrency", type=int, default=2, help="pool processes per worker")
    parser.add_argument(
        "--submitters", type=int, default=4, help="processes submitting the burst (the web side)"
    )
    return parser.parse_args()


class Postgres:
    """A throwaway PostgreSQL 15 cluster in a temporary folder, as .ci/run starts one."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "pg"
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _as_postgres(self, command: str) -> None:
        prefix = [] if os.geteuid() != 0 else ["su", "postgres", "-c"]
        args = [*prefix, command] if prefix else ["sh", "-c", command]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.dir.parent, "postgres", "postgres")
            shutil.chown(self.dir, "postgres", "postgres")
        self._as_postgres(
            f"{PG_BIN}/initdb -D {self.dir}/data -A trust -U postgres --encoding=UTF8 "
            "--locale=C.UTF-8"
        )
        self._as_postgres(
            f"{PG_BIN}/pg_ctl -D {self.dir}/data -o '-p {self.port} -k {self.dir} "
            f"-c listen_addresses=127.0.0.1 -c max_connections=200' -l {self.dir}/pg.log -w start"
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-qc",
             "CREATE DATABASE portal"],
            check=True,
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self._as_postgres(f"{PG_BIN}/pg_ctl -D {self.dir}/data -m fast -w stop")
        except subprocess.CalledProcessError:
            pass


def _terminated(signum, frame):
    raise SystemExit(f"Stopped by signal {signum}.")  # the cleanup still runs


def _remove_database() -> None:
    if postgres is not None:
        postgres.stop()
    shutil.rmtree(workdir, ignore_errors=True)


ARGS = _arguments()
signal.signal(signal.SIGTERM, _terminated)
workdir = Path(tempfile.mkdtemp(prefix="portal-bench-routing-"))
PORT = _free_port()
BROKER = f"redis://127.0.0.1:{PORT}/0"
postgres = Postgres(workdir) if ARGS.db == "pg" else None
atexit.register(_remove_database)
if postgres is not None:
    postgres.start()
ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
    "DEBUG": "false",
    "DATABASE_URL": postgres.url if postgres else f"sqlite:///{workdir}/bench.sqlite3",
    "CONN_MAX_AGE": "60",
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
from django.db import connection
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
    n = ARGS.tickets
    server = subprocess.Popen(
        ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    workers = []
    try:
        client = redis.Redis(port=PORT)
        wait(lambda: _ping(client), 10)
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        connection.close()  # the workers fork with no connection of ours
        for i in range(ARGS.workers):
            workers.append(
                subprocess.Popen(
                    # --quiet is an option of `celery` itself, not of `celery worker`
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "--quiet",
                        "worker",
                        f"--concurrency={ARGS.concurrency}",
                        "--loglevel=warning",
                        "--without-gossip",
                        "--without-mingle",
                        f"--hostname=bench{i}@%h",
                        "--include=bench.tasks",
                    ],
                    cwd=ROOT,
                    env={**os.environ, **ENV},
                )  # fmt: skip
            )
        from portal.celery import app

        if not wait(lambda: _workers_up(app, workers), 60):
            raise SystemExit("The Celery workers did not answer a ping.")
        database = "PostgreSQL 15" if postgres else "SQLite"
        print(
            f"\nRouting benchmark, {n} tickets, {ARGS.workers} worker(s) prefork "
            f"x{ARGS.concurrency}, {database}, real Redis",
            flush=True,
        )
        trivial = trivial_throughput(client, n * 4)
        _print(f"  trivial Celery task:   {trivial:8.0f} tasks/s")
        routing = routing_figures(n)
        _print(
            f"  burst committed:       {routing['submitted_per_second']:8.1f} tickets/s "
            f"({ARGS.submitters} submitters)"
        )
        _print(f"  tickets routed:        {routing['per_second']:8.1f} tickets/s")
        _print(f"  routed / trivial:      {routing['per_second'] / trivial:8.2f}")
        _print(f"  commit -> routed p50:  {routing['p50'] * 1000:8.0f} ms")
        _print(f"  commit -> routed p99:  {routing['p99'] * 1000:8.0f} ms")
        _print(f"  submit (web side) p50: {routing['submit_p50'] * 1000:8.1f} ms per ticket")
        backlog = backlog_throughput(app, n)
        _print(
            f"  routed from a backlog: {backlog:8.1f} tickets/s ({backlog / trivial:.2f} x trivial)"
        )
        idle = idle_latency(20)
        _print(f"  one at a time, commit -> routed p50: {idle * 1000:.0f} ms (idle queue)")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        server.terminate()
        connection.close()


def _print(line: str) -> None:
    print(line, flush=True)  # each figure as soon as it is measured


def _workers_up(app, workers) -> bool:
    if any(worker.poll() is not None for worker in workers):
        raise SystemExit("A Celery worker exited.")
    return len(app.control.ping(timeout=0.5)) >= len(workers)


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


def _submitter_init() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its processes with SIGTERM


def _submit(numbers: range, prefix: str = "Schlagloch Nr.") -> list[float]:
    """One submitter (a web worker): its share of the burst, one commit per ticket."""
    from portal.celery import app

    # a forked process never shares its parent's database or broker connections
    connection.close()
    app._pool = None
    app.amqp._producer_pool = None
    category = Category.objects.get(slug="strassenschaden")
    durations = []
    for i in numbers:
        t0 = time.perf_counter()
        contact_submit(kind="anliegen", category=category, message=f"{prefix} {i}")
        durations.append(time.perf_counter() - t0)
    connection.close()
    return durations


def routing_figures(n: int) -> dict:
    """A burst of n tickets from several submitters at once, routed while it comes in."""
    connection.close()
    shares = [range(k, n, ARGS.submitters) for k in range(ARGS.submitters)]
    with multiprocessing.get_context("fork").Pool(ARGS.submitters, _submitter_init) as pool:
        submits = [d for durations in pool.map(_submit, shares) for d in durations]
    tickets = Ticket.objects.filter(summary__startswith="Schlagloch Nr.")
    wait(lambda: not tickets.exclude(routing_state=RoutingState.ROUTED).exists(), 600)
    delays = sorted(
        (t.routed_at - t.received_at).total_seconds()
        for t in tickets.only("received_at", "routed_at")
    )
    span = tickets.aggregate(
        first=Min("received_at"), last_in=Max("received_at"), last=Max("routed_at")
    )
    return {
        "per_second": n / (span["last"] - span["first"]).total_seconds(),
        "submitted_per_second": n / ((span["last_in"] - span["first"]).total_seconds() or 1e-3),
        "p50": statistics.median(delays),
        "p99": delays[max(0, int(len(delays) * 0.99) - 1)],
        "submit_p50": statistics.median(submits),
    }


def _submit_backlog(numbers: range) -> list[float]:
    return _submit(numbers, prefix="Rückstau Nr.")


def backlog_throughput(app, n: int) -> float:
    """The workers' routing capacity: n tickets committed while the workers take nothing, then
    routed from the queue (as the trivial tasks are)."""
    from django.utils import timezone

    from portal.core.models import OutboxMessage

    # the first burst's department e-mails are sent before this one starts
    wait(lambda: not OutboxMessage.objects.filter(sent_at__isnull=True).exists(), 600)
    app.control.cancel_consumer("celery", reply=True)
    connection.close()
    shares = [range(k, n, ARGS.submitters) for k in range(ARGS.submitters)]
    with multiprocessing.get_context("fork").Pool(ARGS.submitters, _submitter_init) as pool:
        pool.map(_submit_backlog, shares)
    tickets = Ticket.objects.filter(summary__startswith="Rückstau Nr.")
    resumed = timezone.now()
    app.control.add_consumer("celery", reply=True)
    wait(lambda: not tickets.exclude(routing_state=RoutingState.ROUTED).exists(), 600)
    last = tickets.aggregate(last=Max("routed_at"))["last"]
    return n / (last - resumed).total_seconds()


def idle_latency(n: int) -> float:
    """Latency with an empty queue: one ticket at a time, waiting for each."""
    category = Category.objects.get(slug="gruen")
    delays = []
    for i in range(n):
        ticket = contact_submit(kind="anliegen", category=category, message=f"Baum {i}")
        wait(lambda t=ticket: Ticket.objects.filter(pk=t.pk, routed_at__isnull=False).exists(), 30)
        ticket.refresh_from_db()
        if ticket.routed_at is not None:
            delays.append((ticket.routed_at - ticket.received_at).total_seconds())
    return statistics.median(delays) if delays else float("nan")


if __name__ == "__main__":
    main()

"""The HTTP benchmark: the portal at city scale under gunicorn, beside a bare Django view and a
fresh Wagtail page, on PostgreSQL 15 and on SQLite.

For each database it seeds the demo and then the city (bench/seed.py: 10,000 ideas with 200,000
supports, 1,000 projects, one with 500 comments, 2,000 tickets in one queue) and grows the reports
through the sizes (10,000, then 100,000, then 1,000,000 for the map, the GeoJSON and Open311 only).
At each size it serves the portal with its production settings (bench/settings_prod.py: the
portal's own plus a bare view) by gunicorn, 2 sync workers (gunicorn's default worker, as the
README's production command; behind a buffering proxy a sync worker is never held by a slow
client), and measures every path with wrk at 10 connections: req/s, p50/p95/p99, the share of
answers that are not 2xx (a 429 or 500 is shown, never measured silently) and CPU ms per request
(gunicorn master and workers plus, on PostgreSQL, the database server's processes, from
/proc/<pid>/stat). The server is drained (idle CPU) before each path. "cold" rows give every
request an address of its own, so no cache keyed on the address answers them.

Everything runs in throwaway places started here and removed at the end: a PostgreSQL cluster
(initdb into a temporary directory as user postgres, its own port; fsync off, which only speeds
up seeding), a redis-server, static files collected into a temporary directory. Prints figures;
never fails on time.

    make bench                                 # both databases, all sizes
    .venv/bin/python bench/web.py --quick      # small sizes, 2 s per path: a smoke run
    .venv/bin/python bench/web.py --db pg --sizes 100000 --duration 5
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
CITY = "7.49,51.40,7.66,51.48"  # the whole of Schwerte, as the map sends it at zoom 13
TICK = os.sysconf("SC_CLK_TCK")
WORKERS = 2
SCALING = ("map clusters, city", "GeoJSON, city", "Open311 requests.json")


def paths(t: dict) -> dict[str, str]:
    """Every public page and public API list the benchmark measures, by name."""
    return {
        "Impressum (simplest page)": t["impressum"],
        "home /": "/",
        "/maengel/": "/maengel/",
        "report page": t["report"],
        "/vorhabenliste/": "/vorhabenliste/",
        "project page": t["project"],
        "project, 500 comments": t["project_comments"],
        "/leistungen/": t["leistungen"],
        "Ideenpool list": "/ideenpool/",
        "idea page": t["idea"],
        "/api/v1/ideas/": "/api/v1/ideas/",
        "/api/v1/projects/": "/api/v1/projects/",
        "GeoJSON, city": f"/api/v1/reports/?bbox={CITY}",
        "map clusters, city": f"/maengel/karte.json?bbox={CITY}&zoom=13",
        "Open311 requests.json": "/open311/v2/requests.json",
    }


# --- processes -----------------------------------------------------------------------------------
class Stack:
    """What this run started, stopped in reverse order at the end whatever happens."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="portal-bench-http-"))
        os.chmod(self.tmp, 0o755)
        self.stops = []

    def close(self):
        for stop in reversed(self.stops):
            try:
                stop()
            except Exception as error:  # the others must still be stopped
                print(f"  (cleanup: {error})", file=sys.stderr)
        shutil.rmtree(self.tmp, ignore_errors=True)


def free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port from {start}")


def wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up in {timeout:.0f} s")


def terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk fehlt. Bitte als root installieren: apt-get install wrk")
    print("Installiere Systempaket: wrk")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)


def start_redis(stack: Stack) -> str:
    port = free_port(6451)
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
        + ["no", "--dir", str(stack.tmp)],
        stdout=subprocess.DEVNULL,
    )
    stack.stops.append(lambda: terminate(proc))
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: redis_cli(port, "ping") == "PONG", "redis-server")
    return url


def redis_cli(port: int, *command: str) -> str:
    done = subprocess.run(
        ["redis-cli", "-p", str(port), *command], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def start_postgres(stack: Stack) -> tuple[str, Path]:
    """A throwaway PostgreSQL 15 cluster, as .ci/run starts one."""
    if not (PG_BIN / "initdb").exists():
        raise SystemExit("PostgreSQL 15 fehlt: apt-get install postgresql-15")
    pg_dir = stack.tmp / "pgcluster"
    pg_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(pg_dir, "postgres", "postgres")
    port = free_port(5451)

    def as_postgres(command: str) -> None:
        # PostgreSQL refuses to run as root; a developer's own account runs it directly
        wrapped = ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        subprocess.run(wrapped, check=True, stdout=subprocess.DEVNULL)

    as_postgres(
        f"{PG_BIN}/initdb -D {pg_dir}/data -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8"
    )
    options = f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    as_postgres(f"{PG_BIN}/pg_ctl -D {pg_dir}/data -o '{options}' -l {pg_dir}/pg.log -w start")
    stack.stops.append(lambda: as_postgres(f"{PG_BIN}/pg_ctl -D {pg_dir}/data -m fast -w stop"))
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc"]
        + ["CREATE DATABASE portal"],
        check=True,
    )
    return f"postgres://postgres@127.0.0.1:{port}/portal", pg_dir / "data"


def start_gunicorn(stack: Stack, app: str, env: dict, cwd: Path, probe: str, log: str):
    port = free_port(8451)
    proc = subprocess.Popen(
        [str(GUNICORN), app, "-w", str(WORKERS), "-k", "sync", "-b", f"127.0.0.1:{port}"]
        + ["--error-logfile", str(stack.tmp / log), "--timeout", "120", "--no-control-socket"],
        cwd=cwd,
        env=env,
    )
    stack.stops.append(lambda: terminate(proc))

    def answers() -> bool:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn ({app}) stopped:\n{tail(stack.tmp / log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        wait_for(answers, f"gunicorn ({app})", timeout=120)
    except SystemExit as error:
        raise SystemExit(f"{error}\n{tail(stack.tmp / log)}") from None
    return proc, f"http://127.0.0.1:{port}"


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- CPU from /proc ------------------------------------------------------------------------------
def family(root: int) -> list[int]:
    """`root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(roots: list[int]) -> float:
    """User+system CPU of the roots' process trees; the roots' reaped children count too (a
    PostgreSQL backend that ended during the run)."""
    ticks = 0
    for root in roots:
        for pid in family(root):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
            if pid == root:
                ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def drain(roots: list[int], timeout: float = 30) -> None:
    """Wait until the servers are idle: under 5 % of one core for half a second."""
    deadline = time.monotonic() + timeout
    before = cpu_seconds(roots)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = cpu_seconds(roots)
        if now - before < 0.025:
            return
        before = now


# --- wrk -----------------------------------------------------------------------------------------
def wrk(url: str, seconds: float, headers: list[str], cold: bool) -> dict:
    # wrk takes whole seconds only
    command = ["wrk", "-t", "2", "-c", "10", "-d", f"{max(1, round(seconds))}s", "--timeout", "30s"]
    command += ["-s", str(BENCH / "stats.lua")]
    for header in headers:
        command += ["-H", header]
    command += [url, "--", "cold" if cold else "warm"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"wrk gave no figures: {(done.stderr or done.stdout).strip()[:200]}")


def measure(args, base: str, path: str, roots: list[int], headers=(), cold=False) -> dict:
    url = base + path
    drain(roots)
    if args.warmup:
        wrk(url, args.warmup, list(headers), cold)
        drain(roots)
    cpu_before = cpu_seconds(roots)
    result = wrk(url, args.duration, list(headers), cold)
    cpu = cpu_seconds(roots) - cpu_before
    n = result["requests"]
    statuses = {int(k): v for k, v in result["statuses"].items()}
    bad = {k: v for k, v in statuses.items() if not 200 <= k < 300}
    return {
        "rate": n / (result["duration_us"] / 1e6),
        "p50": result["p50"] / 1000,
        "p95": result["p95"] / 1000,
        "p99": result["p99"] / 1000,
        "bad": sum(bad.values()) / n if n else 1.0,
        "codes": bad,
        "errors": result["socket_errors"],
        "cpu_ms": cpu * 1000 / n if n else float("nan"),
        "n": n,
    }


def run(rows: dict, args, base: str, roots: list[int], name: str, path: str, **kw) -> None:
    try:
        rows[name] = measure(args, base, path, roots, **kw)
    except Exception as error:  # one broken path must not hide the others
        print(f"  {name}: {error}")
        rows[name] = None
    print(f"  measured {name}", file=sys.stderr, flush=True)


def signed_in(url: str, cookie: str) -> bool:
    name, value = cookie.split(": ", 1)
    request = urllib.request.Request(url, headers={name: value})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return "Abmelden" in response.read().decode()
    except OSError:
        return False


# --- one table -----------------------------------------------------------------------------------
def table(title: str, rows: dict, bare: dict, fresh: dict | None) -> None:
    print(f"\n{title}")
    head = f"{'path':34}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'CPU ms':>8}"
    head += f"{'% bare':>8}{'% fresh':>8}  not 2xx"
    print(head)
    print("-" * len(head) + "-" * 10)
    for name, r in rows.items():
        if r is None:
            print(f"{name:34}  (failed)")
            continue
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(r["codes"].items()))
        if r["errors"]:
            codes += f" socket errors×{r['errors']}"
        share = f"{r['bad']:.0%} {codes}" if r["bad"] or r["errors"] else "–"
        fresh_share = f"{r['rate'] / fresh['rate']:.0%}" if fresh else "–"
        print(
            f"{name:34}{r['rate']:>8.1f}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}"
            f"{r['cpu_ms']:>8.1f}{r['rate'] / bare['rate']:>8.1%}{fresh_share:>8}  {share}"
        )


def run_database(args, stack: Stack, kind: str, redis_url: str, static_root: Path, fresh_url):
    """Seeds and measures one database through the sizes; returns the figures by size."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_prod",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": redis_url,
        "BASE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(stack.tmp / kind / "media"),
        "PRIVATE_MEDIA_ROOT": str(stack.tmp / kind / "private"),
        "PYTHONPATH": str(ROOT),
        # wrk sends everything from one address: the cost of a request is measured, not the
        # API's limit per address (the cold rows and the signed-in API rows would be 429s)
        "API_RATE_READ": "100000000/min",
        "API_RATE_STAFF": "100000000/min",
    }
    (stack.tmp / kind).mkdir()
    pg_data = None
    if kind == "pg":
        env["DATABASE_URL"], pg_data = start_postgres(stack)
        label = "PostgreSQL 15"
    else:
        env["DATABASE_URL"] = f"sqlite:///{stack.tmp / kind / 'portal.sqlite3'}"
        label = "SQLite"
    redis_port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    figures = {}
    sizes = sorted(
        args.sizes + ([args.big] if args.big and (kind == "pg" or args.big_sqlite) else [])
    )
    for size in sizes:
        print(f"\n== {label}: seeding up to {size:,} reports ==", flush=True)
        t0 = time.perf_counter()
        seed = subprocess.run(
            [str(PYTHON), "-m", "bench.seed", "--reports", str(size)] + args.seed_args,
            env={**env, "DJANGO_SETTINGS_MODULE": "bench.settings_seed"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stderr.write(seed.stderr[-3000:] if seed.returncode else seed.stderr)
        if seed.returncode:
            print(f"  seeding failed on {label}: skipped")
            return figures
        targets = json.loads(seed.stdout.strip().splitlines()[-1])
        print(f"  seeded in {time.perf_counter() - t0:.0f} s", flush=True)
        redis_cli(redis_port, "flushall")  # a cold cache for each size
        args.static_ready()
        proc, base = start_gunicorn(
            stack, "portal.wsgi:application", env, ROOT, "/bench/bare/", "g.log"
        )
        roots = [proc.pid]
        if pg_data is not None:
            roots.append(int((pg_data / "postmaster.pid").read_text().split()[0]))
        named = paths(targets)
        if args.only:  # the simplest page stays: the signed-in figures are ratios to it
            named = {
                name: url
                for name, url in named.items()
                if name.startswith("Impressum") or re.search(args.only, name)
            }
        if size == args.big and size not in args.sizes:
            named = {name: url for name, url in named.items() if name in SCALING}
        cookie = [f"Cookie: {targets['session_cookie']}={targets['session']}"]
        rows = {}

        run(rows, args, base, roots, "bare Django view", "/bench/bare/")
        bare = rows["bare Django view"]
        fresh = None
        if fresh_url:
            try:
                fresh = measure(args, fresh_url[0], "/", [fresh_url[1]])
                rows["fresh Wagtail page"] = fresh
            except Exception as error:
                print(f"  fresh Wagtail page: {error}")
        for name, path in named.items():
            run(rows, args, base, roots, name, path)
        for name in SCALING:
            if name in named:
                run(rows, args, base, roots, f"{name} (cold)", named[name], cold=True)
        signed = {}
        if size == max(args.sizes) and not args.anonymous_only:
            if not signed_in(base + named["Impressum (simplest page)"], cookie[0]):
                print("  WARNING: the citizen's session was not accepted (no „Abmelden“)")
            for name, path in named.items():
                run(rows, args, base, roots, f"{name} [citizen]", path, headers=cookie)
                signed[name] = rows.pop(f"{name} [citizen]")
        terminate(proc)
        cpu_of = "gunicorn + PostgreSQL" if kind == "pg" else "gunicorn"
        title = (
            f"{label}, {targets['reports']:,} published reports – anonymous; gunicorn {WORKERS} "
            f"sync workers, wrk 10 connections, {args.duration:g} s per path, CPU ms = {cpu_of}"
        )
        table(title, rows, bare, fresh)
        if signed:
            table(
                f"{label}, {targets['reports']:,} reports – signed in as a citizen",
                signed,
                bare,
                fresh,
            )
        figures[size] = {"anon": rows, "signed": signed, "bare": bare, "fresh": fresh}
    return figures


def summary(label: str, figures: dict, args) -> None:
    """One line per acceptance line of issue 16 (the routing burst is bench/routing.py's)."""
    if not figures:
        return
    print(f"\nSummary, {label}:")
    main = figures.get(max(args.sizes)) or next(iter(figures.values()))
    anon = {
        k: v
        for k, v in main["anon"].items()
        if v and k not in ("bare Django view", "fresh Wagtail page") and "(cold)" not in k
    }
    if anon and main["bare"]:
        worst = min(anon, key=lambda k: anon[k]["rate"])
        slowest = max(anon, key=lambda k: anon[k]["p95"])
        print(
            f"  anonymous: min req/s {anon[worst]['rate'] / main['bare']['rate']:.1%} of the bare "
            f"view ({worst}; goal ≥ 25 %), max p95 {anon[slowest]['p95']:.0f} ms ({slowest}; "
            f"goal < 50 ms); answers not 2xx: "
            + (", ".join(f"{k} {v['bad']:.0%}" for k, v in anon.items() if v["bad"]) or "none")
        )
    signed = {k: v for k, v in main["signed"].items() if v}
    simplest = signed.get("Impressum (simplest page)")
    if simplest:
        worst = max(signed, key=lambda k: signed[k]["cpu_ms"])
        print(
            f"  signed in: max CPU ms {signed[worst]['cpu_ms'] / simplest['cpu_ms']:.1f} × the "
            f"simplest page's ({worst}; goal ≤ 2)"
        )
        if main["fresh"]:
            print(
                f"  simplest page (signed in) vs fresh Wagtail page: "
                f"{simplest['rate'] / main['fresh']['rate']:.0%} of its req/s (goal ≥ 60 %), "
                f"{main['fresh']['cpu_ms'] / simplest['cpu_ms']:.0%} of its CPU ms the other way "
                f"round (steadier on a busy machine); anonymous: "
                f"{main['anon']['Impressum (simplest page)']['rate'] / main['fresh']['rate']:.0%}"
            )
        comments = signed.get("project, 500 comments")
        if comments:
            print(
                f"  project page with 500 comments (signed in): CPU ms "
                f"{comments['cpu_ms'] / simplest['cpu_ms']:.1f} × the simplest page's (goal ≤ 2)"
            )
    small, large = min(figures), max(figures)
    for name in SCALING:
        cold = f"{name} (cold)"
        a, b = figures[small]["anon"].get(cold), figures[large]["anon"].get(cold)
        if a and b and small != large:
            print(
                f"  {name}, cold: p95 {b['p95']:.0f} ms at {large:,} reports (goal < 150 ms at "
                f"1M on PostgreSQL); CPU ms {large:,}/{small:,}: {b['cpu_ms'] / a['cpu_ms']:.1f} "
                f"× (goal ≤ 1.5)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["pg", "sqlite", "both"], default="both")
    parser.add_argument("--sizes", default="10000,100000", help="report counts, all paths")
    parser.add_argument("--big", type=int, default=1_000_000, help="map/GeoJSON/Open311 only")
    parser.add_argument("--big-sqlite", action="store_true", help="the big size on SQLite too")
    parser.add_argument("--duration", type=float, default=10, help="seconds per path")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each path")
    parser.add_argument("--anonymous-only", action="store_true")
    parser.add_argument("--only", help="measure only the paths whose name matches (a regex)")
    parser.add_argument("--no-fresh-wagtail", action="store_true")
    parser.add_argument(
        "--static", help="collect static files here and keep them for the next run (faster)"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 s per path")
    args = parser.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.seed_args = []
    if args.quick:
        args.sizes, args.big, args.duration, args.warmup = [1000, 5000], 20_000, 2, 1
        args.seed_args = ["--ideas", "300", "--supports", "3000", "--projects", "30"]
        args.seed_args += ["--queue", "100"]
    ensure_wrk()
    # a stopped run (SIGTERM) still stops its servers and removes its folder
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    stack = Stack()
    try:
        redis_url = start_redis(stack)
        static_root = Path(args.static).resolve() if args.static else stack.tmp / "static"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings_prod",
            "SECRET_KEY": "collectstatic",
            "ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_URL": redis_url,
            "BASE_URL": "http://127.0.0.1",
            "DATABASE_URL": "sqlite:///:memory:",
            "STATIC_ROOT": str(static_root),
        }
        # whitenoise's compressed manifest takes minutes to build: it is built beside the seeding
        static = None
        if not (static_root / "staticfiles.json").exists():
            static = subprocess.Popen(
                [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env
            )
            stack.stops.append(lambda: terminate(static))
        args.static_ready = lambda: (
            static is None or static.wait() == 0 or sys.exit("collectstatic failed")
        )
        fresh_url = None
        if not args.no_fresh_wagtail:
            fresh_dir = BENCH / "fresh_wagtail"
            fresh_env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "mysite.settings.production",
                "SECRET_KEY": "bench-only-secret-key-" + "y" * 40,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "FRESH_WAGTAIL_DB": str(stack.tmp / "fresh.sqlite3"),
                "STATIC_ROOT": str(stack.tmp / "fresh-static"),
            }
            for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
                subprocess.run(
                    [str(PYTHON), "manage.py", *command], cwd=fresh_dir, env=fresh_env, check=True
                )
            fresh_proc, fresh_base = start_gunicorn(
                stack, "mysite.wsgi:application", fresh_env, fresh_dir, "/", "fresh.log"
            )
            fresh_url = (fresh_base, fresh_proc.pid)
        kinds = ["pg", "sqlite"] if args.db == "both" else [args.db]
        labels = {"pg": "PostgreSQL 15", "sqlite": "SQLite"}
        results = {}
        for kind in kinds:
            results[kind] = run_database(args, stack, kind, redis_url, static_root, fresh_url)
        print("\n" + "=" * 100)
        for kind in kinds:
            try:
                summary(labels[kind], results[kind], args)
            except (KeyError, TypeError, ZeroDivisionError) as error:  # a path that failed
                print(f"  (summary of {labels[kind]} incomplete: {error!r})")
        if "sqlite" in kinds and not args.big_sqlite:
            print(f"  (SQLite: {args.big:,} reports skipped; --big-sqlite measures them)")
    finally:
        stack.close()


if __name__ == "__main__":
    main()

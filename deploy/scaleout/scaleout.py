"""Scale-out shown, not claimed: the production topology as separate hosts on one machine.

Each host is a Linux network namespace with its own address in 10.77.0.0/24, joined by a bridge
that lives in a namespace of its own (the machine's own network is not touched):

    client ──https──▶ proxy (Debian's nginx, TLS) ──▶ web1, web2 (gunicorn, production settings)
                                                        │
    worker1, worker2 (+ worker3 later), beat ◀── redis ─┤── db (PostgreSQL 15)
                     │
                     └──smtp──▶ mail (a counting SMTP sink)

The scenario: migrate once and load the demo; 1,000 citizens send the form "Anliegen an die
Stadt" through the proxy, 20 at a time; after 30 % are accepted, every process of worker1's host
is killed with SIGKILL, after 40 % a third worker host starts. Beat runs once, on a host of its
own. Then check.py waits (polling, with a timeout) until everything is done and counts from the
database and the mail sink: one ticket per submission, one routing per ticket, one receipt and
one department e-mail per ticket, none lost. What the dead worker held is recovered by the
relays (beat's "tickets-relay" and "outbox-relay"), as in production.

The database runs without fsync (a throwaway cluster: what is shown is a worker host's death,
not the database host's). Logs of every host are kept in /tmp/scaleout-logs-<id> when the run
fails; the summary prints wall time and the CPU seconds of the finished steps per phase.

Needs root, iproute2, PostgreSQL 15 in /usr/lib/postgresql/15/bin, redis-server, openssl and
nginx (Debian's nginx-light is installed with apt-get when missing; no nginx service is started).
Everything it creates (namespaces, links, processes, the temporary directory) is removed at the
end, also on failure or Ctrl+C.

    sudo .venv/bin/python deploy/scaleout/scaleout.py [--submissions 1000] [--concurrency 20]

Exit status 0: nothing lost, nothing doubled. 1: a loss or a duplicate (see the summary).
2: the machine lacks something the run needs.
"""

import argparse
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def say(*parts, file=None, flush=True) -> None:
    """A line for the operator (the run's output is its report)."""
    stream = file or sys.stdout
    stream.write(" ".join(str(part) for part in parts) + "\n")
    if flush:
        stream.flush()


ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
NET = "10.77.0"
ADDRESSES = {
    "db": 2,
    "redis": 3,
    "mail": 4,
    "proxy": 10,
    "web1": 11,
    "web2": 12,
    "worker1": 21,
    "worker2": 22,
    "worker3": 23,
    "beat": 30,
    "client": 100,
}
PROXY = f"{NET}.{ADDRESSES['proxy']}"
START_TIMEOUT = 60


class Failure(Exception):
    """The lab could not be built; the message says which part."""


def ip(host: str) -> str:
    return f"{NET}.{ADDRESSES[host]}"


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


class Lab:
    def __init__(self) -> None:
        self.run_id = secrets.token_hex(3)
        self.tmp = Path(tempfile.mkdtemp(prefix="scaleout-"))
        self.tmp.chmod(0o755)  # the postgres user reaches its data directory below
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.namespaces: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self.started = time.monotonic()
        self.times: dict[str, float] = {}

    # --- hosts ------------------------------------------------------------------------------
    def ns(self, host: str) -> str:
        return f"so{self.run_id}-{host}"

    def add_namespace(self, name: str) -> None:
        run("ip", "netns", "add", name)
        self.namespaces.append(name)
        run("ip", "-n", name, "link", "set", "lo", "up")

    def build_network(self) -> None:
        switch = self.ns("switch")
        self.add_namespace(switch)
        run("ip", "-n", switch, "link", "add", "br0", "type", "bridge")
        run("ip", "-n", switch, "link", "set", "br0", "up")
        for host in ADDRESSES:
            self.add_host(host)

    def add_host(self, host: str) -> None:
        name, switch = self.ns(host), self.ns("switch")
        self.add_namespace(name)
        port = f"p-{host}"
        run(
            "ip",
            "link",
            "add",
            "eth0",
            "netns",
            name,
            "type",
            "veth",
            "peer",
            "name",
            port,
            "netns",
            switch,
        )
        run("ip", "-n", switch, "link", "set", port, "master", "br0", "up")
        run("ip", "-n", name, "addr", "add", f"{ip(host)}/24", "dev", "eth0")
        run("ip", "-n", name, "link", "set", "eth0", "up")

    def start(self, host: str, label: str, command: list[str], env: dict | None = None):
        """Start `command` on `host`; its output goes to logs/<label>.log."""
        log = open(self.logs / f"{label}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            ["ip", "netns", "exec", self.ns(host), *command],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def on(self, host: str, *command: str, env: dict | None = None, **kwargs):
        return subprocess.run(
            ["ip", "netns", "exec", self.ns(host), *command],
            env=env,
            cwd=ROOT,
            text=True,
            capture_output=True,
            **kwargs,
        )

    def kill_host(self, host: str) -> int:
        """SIGKILL every process of the host, as when its machine loses power."""
        pids = [
            int(pid)
            for pid in run("ip", "netns", "pids", self.ns(host)).stdout.split()
            if pid.strip()
        ]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(pids)

    def wait_port(self, host: str, port: int, process: subprocess.Popen, label: str) -> None:
        """Poll from the client host until `host:port` accepts a connection."""
        deadline = time.monotonic() + START_TIMEOUT
        probe = f"exec 3<>/dev/tcp/{ip(host)}/{port}"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Failure(f"{label} ended at start: see {self.logs / (label + '.log')}")
            if self.on("client", "bash", "-c", probe).returncode == 0:
                return
            time.sleep(0.2)
        raise Failure(f"{label} did not listen on {ip(host)}:{port} within {START_TIMEOUT} s")

    def wait_log(self, label: str, text: str, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        log = self.logs / f"{label}.log"
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Failure(f"{label} ended at start: see {log}")
            if text in log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise Failure(f"{label} did not report {text!r} within {START_TIMEOUT} s: see {log}")

    def mark(self, phase: str) -> None:
        """Print the phase with the wall time so far and the CPU seconds the run's processes
        have used (the machine may be shared: CPU seconds compare across runs, wall time not)."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = children.ru_utime + children.ru_stime
        self.times[phase] = round(time.monotonic() - self.started, 1)
        say(f"[{self.times[phase]:6.1f} s, CPU of finished steps {cpu:6.1f} s] {phase}")

    # --- teardown ---------------------------------------------------------------------------
    def cleanup(self, keep: bool = False) -> None:
        for name in reversed(self.namespaces):
            pids = subprocess.run(
                ["ip", "netns", "pids", name], text=True, capture_output=True
            ).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
        for process in self.processes:
            try:
                process.kill()
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        for name in reversed(self.namespaces):
            # deleting a namespace deletes its end of each veth pair, and so the pair
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        self.namespaces.clear()
        if keep and self.logs.exists():
            kept = Path(tempfile.gettempdir()) / f"scaleout-logs-{self.run_id}"
            shutil.copytree(self.logs, kept, dirs_exist_ok=True)
            say(f"The hosts' logs are kept in {kept}", flush=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


# --- the parts --------------------------------------------------------------------------------
def portal_env(lab: Lab) -> dict:
    """Production settings, as a deployment would pass them; nothing from the caller's own
    environment leaks in (a CI job may carry its own DATABASE_URL)."""
    return {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "LANG": "C.UTF-8",
        "HOME": str(lab.tmp),
        "PYTHONUNBUFFERED": "1",
        # every process imports the tree this script belongs to
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"postgres://postgres@{ip('db')}:5432/portal",
        "ALLOWED_HOSTS": PROXY,
        "REDIS_URL": f"redis://{ip('redis')}:6379/0",
        "BASE_URL": f"https://{PROXY}",
        "EMAIL_URL": f"smtp://{ip('mail')}:2525",
        "STATIC_ROOT": str(lab.tmp / "static"),
        "MEDIA_ROOT": str(lab.tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(lab.tmp / "private"),
        "TRUSTED_PROXY_COUNT": "1",
        # the outbox relay rings again for e-mails unsent after this long (default 120 s); a
        # shorter wait for those the dead worker held keeps the run short
        "OUTBOX_RELAY_AFTER_SECONDS": "30",
        "LOG_LEVEL": "WARNING",
    }


def start_database(lab: Lab) -> None:
    data, sockets = lab.tmp / "pg" / "data", lab.tmp / "pg"
    sockets.mkdir()
    shutil.chown(sockets, "postgres", "postgres")
    run(
        "runuser", "-u", "postgres", "--", str(PG_BIN / "initdb"), "-D", str(data),
        "-A", "trust", "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8",
    )  # fmt: skip
    with open(data / "pg_hba.conf", "a") as hba:
        hba.write(f"host all all {NET}.0/24 trust\n")
    process = lab.start(
        "db",
        "db",
        [
            "runuser", "-u", "postgres", "--", str(PG_BIN / "postgres"), "-D", str(data),
            "-p", "5432", "-k", str(sockets), "-c", f"listen_addresses={ip('db')}",
            "-c", "max_connections=200",
            # a throwaway cluster: what is proved here is a worker host's death, not the
            # database host's; without fsync the migrations take seconds, not minutes
            "-c", "fsync=off", "-c", "full_page_writes=off",
        ],
    )  # fmt: skip
    lab.wait_port("db", 5432, process, "db")
    run(
        "runuser", "-u", "postgres", "--", str(PG_BIN / "createdb"),
        "-h", str(sockets), "-p", "5432", "portal",
    )  # fmt: skip


def start_redis(lab: Lab) -> None:
    (lab.tmp / "redis").mkdir()
    process = lab.start(
        "redis",
        "redis",
        [
            "redis-server", "--bind", ip("redis"), "--port", "6379", "--save", "",
            "--appendonly", "no", "--protected-mode", "no", "--dir", str(lab.tmp / "redis"),
        ],
    )  # fmt: skip
    lab.wait_port("redis", 6379, process, "redis")


def start_mail(lab: Lab) -> Path:
    sink = lab.logs / "mail.jsonl"
    process = lab.start(
        "mail",
        "mail",
        [str(VENV_BIN / "python"), str(HERE / "smtpsink.py"), ip("mail"), "2525", str(sink)],
    )
    lab.wait_port("mail", 2525, process, "mail")
    return sink


def make_certificate(lab: Lab) -> Path:
    tls = lab.tmp / "tls"
    tls.mkdir()
    run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem"),
        "-subj", f"/CN={PROXY}", "-addext", f"subjectAltName=IP:{PROXY}",
    )  # fmt: skip
    return tls


def start_web(lab: Lab, host: str, env: dict):
    return lab.start(
        host,
        host,
        [
            str(VENV_BIN / "gunicorn"), "portal.wsgi:application",
            "--bind", f"{ip(host)}:8000", "--workers", "3",
            "--forwarded-allow-ips", PROXY, "--access-logfile", "-",
        ],
        env=env,
    )  # fmt: skip


def start_proxy(lab: Lab, tls: Path):
    prefix = lab.tmp / "nginx"
    prefix.mkdir()
    config = prefix / "nginx.conf"
    config.write_text(
        f"""
user root;
worker_processes 2;
daemon off;
pid {prefix}/nginx.pid;
error_log {lab.logs}/proxy-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {lab.logs}/proxy-access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 20m;
    upstream portal {{
        server {ip("web1")}:8000;
        server {ip("web2")}:8000;
        keepalive 32;
    }}
    server {{
        listen {PROXY}:80;
        return 301 https://$host$request_uri;
    }}
    server {{
        listen {PROXY}:443 ssl;
        ssl_certificate {tls}/cert.pem;
        ssl_certificate_key {tls}/key.pem;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""
    )
    return lab.start("proxy", "proxy", ["nginx", "-p", str(prefix), "-c", str(config)])


def start_worker(lab: Lab, host: str, env: dict):
    return lab.start(
        host,
        host,
        [
            str(VENV_BIN / "celery"), "-A", "portal", "worker", "--loglevel=info",
            "--concurrency=2", "-n", f"{host}@scaleout",
        ],
        env=env,
    )  # fmt: skip


def start_beat(lab: Lab, env: dict):
    return lab.start(
        "beat",
        "beat",
        [
            str(VENV_BIN / "celery"), "-A", "portal", "beat", "--loglevel=info",
            f"--schedule={lab.tmp / 'celerybeat-schedule'}",
        ],
        env=env,
    )  # fmt: skip


def manage(lab: Lab, env: dict, *args: str) -> None:
    result = lab.on("web1", str(VENV_BIN / "python"), "manage.py", *args, env=env)
    if result.returncode:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


# --- the scenario -----------------------------------------------------------------------------
def scenario(lab: Lab, args) -> int:
    env = portal_env(lab)
    static = subprocess.Popen(
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lab.processes.append(static)
    lab.build_network()
    lab.mark(f"network: {len(ADDRESSES)} hosts on a bridge in {NET}.0/24")
    start_database(lab)
    start_redis(lab)
    sink = start_mail(lab)
    tls = make_certificate(lab)
    lab.mark("db (PostgreSQL 15), redis, mail (SMTP sink) up")

    manage(lab, env, "migrate", "--noinput", "-v0")
    lab.mark("migrated")
    if static.wait() != 0:
        raise Failure(f"collectstatic failed:\n{static.stderr.read()}")
    # the hosts boot while the demo loads (the workers route the demo's tickets meanwhile)
    webs = {host: start_web(lab, host, env) for host in ("web1", "web2")}
    proxy = start_proxy(lab, tls)
    workers = {host: start_worker(lab, host, env) for host in ("worker1", "worker2")}
    beat = start_beat(lab, env)
    manage(lab, {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}, "load_demo")
    lab.mark("demo loaded")
    for host, process in webs.items():
        lab.wait_port(host, 8000, process, host)
    lab.wait_port("proxy", 443, proxy, "proxy")
    for host, process in workers.items():
        lab.wait_log(host, f"{host}@scaleout ready.", process)
    lab.wait_log("beat", "beat: Starting", beat)
    lab.mark("proxy, web1, web2, worker1, worker2, beat up")

    client = subprocess.Popen(
        [
            "ip", "netns", "exec", lab.ns("client"), str(VENV_BIN / "python"),
            str(HERE / "client.py"), f"https://{PROXY}", str(tls / "cert.pem"),
            str(args.submissions), str(args.concurrency), lab.run_id,
        ],
        stdout=subprocess.PIPE,
        stderr=open(lab.logs / "client.log", "ab"),  # noqa: SIM115
        text=True,
        cwd=ROOT,
        env={"PATH": portal_env(lab)["PATH"], "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    lab.processes.append(client)
    kill_at, add_at = int(args.submissions * 0.3), int(args.submissions * 0.4)
    killed = added = False
    outcome = None
    for line in client.stdout:
        if line.startswith("accepted "):
            accepted = int(line.split()[1])
            if accepted >= kill_at and not killed:
                killed = True
                count = lab.kill_host("worker1")
                lab.mark(f"{accepted} accepted: worker1 killed (SIGKILL to {count} processes)")
            if accepted >= add_at and not added:
                added = True
                start_worker(lab, "worker3", env)
                lab.mark(f"{accepted} accepted: worker3 starting")
        elif line.startswith("{"):
            outcome = json.loads(line)
    client.wait()
    if outcome is None:
        raise Failure(f"the client ended without a result: see {lab.logs / 'client.log'}")
    submissions_file = lab.tmp / "submissions.json"
    submissions_file.write_text(json.dumps(outcome))
    accepted = sum(1 for s in outcome["submissions"] if s["token"])
    lab.mark(
        f"client done: {accepted} of {args.submissions} accepted in {outcome['seconds']} s "
        f"({accepted / max(outcome['seconds'], 0.1):.1f}/s)"
    )
    if not killed or not added:
        errors = [s["errors"] for s in outcome["submissions"] if not s["token"]][:5]
        raise Failure(
            "the client ended before the worker host was killed and another added; "
            f"the first errors: {errors}"
        )

    result = lab.on(
        "web1",
        str(VENV_BIN / "python"),
        str(HERE / "check.py"),
        lab.run_id,
        str(submissions_file),
        str(sink),
        str(args.timeout),
        env=env,
    )
    lab.mark("checked")
    try:
        summary = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError) as exc:
        raise Failure(f"check.py gave no summary:\n{result.stdout}\n{result.stderr}") from exc
    report(summary, lab)
    return result.returncode


TASK_LINE = re.compile(r"Task ([\w.]+)\[([0-9a-f-]+)\] (received|succeeded|failed|retry)")
RELAY_LINE = re.compile(r"Task (outbox|tickets)\.relay\[[0-9a-f-]+\] succeeded in [\d.]+s: (.*)")


def worker_figures(lab: Lab) -> dict:
    """From the workers' logs: what the killed worker held unfinished, and what the relays rang
    again (the proof that the kill hit work in flight, and how it was recovered)."""
    held: dict[str, str] = {}
    for match in TASK_LINE.finditer((lab.logs / "worker1.log").read_text(errors="replace")):
        name, task_id, state = match.groups()
        if state == "received":
            held[task_id] = name
        else:
            held.pop(task_id, None)
    rung = {"outbox": 0, "tickets": 0}
    for host in ("worker2", "worker3"):
        text = (lab.logs / f"{host}.log").read_text(errors="replace")
        for kind, result in RELAY_LINE.findall(text):
            if kind == "outbox":
                rung["outbox"] += int(result)
            else:
                rung["tickets"] += int(re.search(r"'tickets': (\d+)", result).group(1))
    return {
        "worker1_tasks_unfinished_at_kill": ", ".join(sorted(held.values())) or "none",
        "relays_rang_again_emails": rung["outbox"],
        "relays_rang_again_routings": rung["tickets"],
    }


def report(summary: dict, lab: Lab) -> None:
    say("\n--- summary ---")
    try:
        summary = {**worker_figures(lab), **summary}
    except (OSError, ValueError, AttributeError) as exc:  # the figures only explain; never fail
        say(f"(no figures from the workers' logs: {exc})")
    for key, value in summary.items():
        if key not in ("lost", "doubled"):
            say(f"{key:45} {value}")
    say(f"{'total seconds':45} {round(time.monotonic() - lab.started, 1)}")
    if summary["lost"] or summary["doubled"] or not summary["complete"]:
        say(f"FAILED: lost {summary['lost']}, doubled {summary['doubled']}")
    else:
        say("OK: every submission one ticket, routed once, every e-mail sent once, none lost")


def preflight() -> None:
    if os.geteuid() != 0:
        raise Failure("must run as root: it creates network namespaces (ip netns)")
    for tool in ("ip", "openssl", "redis-server", "runuser"):
        if shutil.which(tool) is None:
            raise Failure(f"{tool} is missing")
    if not (PG_BIN / "initdb").exists():
        raise Failure(f"PostgreSQL 15 is missing ({PG_BIN})")
    if not (VENV_BIN / "gunicorn").exists():
        raise Failure(f"the project's virtualenv is missing ({VENV_BIN})")
    if shutil.which("nginx") is None:
        say("Installing Debian's nginx-light …", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "nginx-light"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--timeout", type=int, default=300, help="seconds to wait for routing and e-mail"
    )
    parser.add_argument("--keep-logs", action="store_true", help="keep the logs of the hosts")
    args = parser.parse_args()
    try:
        preflight()
    except Failure as exc:
        say(f"scaleout: {exc}", file=sys.stderr)
        return 2

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # also where the caller ignored SIGINT (a background job of a script): Ctrl+C, a CI
    # timeout or a hang-up all end in the cleanup below
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupted)
    lab = Lab()
    status = 1
    try:
        status = scenario(lab, args)
    except Failure as exc:
        say(f"scaleout: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        say("scaleout: interrupted, cleaning up", file=sys.stderr)
        status = 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not stop the cleanup
        lab.cleanup(keep=args.keep_logs or status != 0)
    return status


if __name__ == "__main__":
    sys.exit(main())

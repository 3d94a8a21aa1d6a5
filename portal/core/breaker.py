"""One circuit breaker per Redis server and process, shared by the cache, the rate limits and the
broker's doorbell.

A stalled Redis (it accepts the connection but does not answer) costs every command a full socket
timeout. Without a breaker one citizen's submit waited for it three times: the cache, the rate
limit and the publish. Now the first timeout opens the breaker of that server, and for
`PAUSE_SECONDS` everything in this process skips it: the cache behaves like a miss, the rate limit
counts locally, the doorbell leaves the work to the relays (the database is the truth). After the
pause one caller at a time tries again (a probe): success closes the breaker, failure opens it for
another pause.

Breakers are keyed by host and port, not by database number: the cache (`/1`) and the broker
(`/0`) on one server stall together, on two servers independently.
"""

import threading
import time
from urllib.parse import urlsplit

PAUSE_SECONDS = 5.0


class Breaker:
    def __init__(self, server: str) -> None:
        self.server = server
        self._lock = threading.Lock()
        self._open = False
        # wall-clock time, as the relays' "waited long enough" is: a clock set forward skips the
        # rest of the pause; one set back ends it too, instead of stretching it
        self._paused_at = 0.0
        self._retry_at = 0.0  # after this one probe may pass

    def allows(self) -> bool:
        """Whether a caller may talk to the server now."""
        if not self._open:
            return True
        with self._lock:
            now = time.time()
            if self._paused_at <= now < self._retry_at:
                return False
            # this caller is the probe; the others keep skipping until it reports (or, should it
            # never report, until another pause has passed)
            self._pause(now)
            return True

    def failed(self) -> bool:
        """Open the breaker for a pause; True if it was closed (worth a log line)."""
        with self._lock:
            was_closed = not self._open
            self._open = True
            self._pause(time.time())
        return was_closed

    def succeeded(self) -> None:
        if self._open:
            with self._lock:
                self._open = False

    def _pause(self, now: float) -> None:
        self._paused_at = now
        self._retry_at = now + PAUSE_SECONDS


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def server_of(url: str) -> str:
    """`host:port` of a Redis URL (`redis://`, `rediss://`, `unix://`; the first of a failover
    list), the key of its breaker."""
    first = url.split(";")[0].strip()
    parts = urlsplit(first)
    if parts.scheme in ("unix", "redis+socket", "socket"):
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


def breaker_for(url: str) -> Breaker:
    server = server_of(url)
    breaker = _breakers.get(server)
    if breaker is None:
        with _breakers_lock:
            breaker = _breakers.setdefault(server, Breaker(server))
    return breaker


def reset() -> None:
    """Forget every failure: a new server, or a test that starts with a clean slate."""
    with _breakers_lock:
        _breakers.clear()

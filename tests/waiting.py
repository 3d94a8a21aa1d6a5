"""Helpers for tests that watch a real worker: poll until something happens, read filed e-mails."""

import time
from pathlib import Path

# Django's file e-mail backend appends every message of one connection to one file (named by the
# second and the backend object), each message followed by a line of 79 dashes: two messages sent
# in the same second can share a file.
_SEPARATOR = "\n" + "-" * 79 + "\n"


def wait_until(predicate, timeout: float = 30, interval: float = 0.2) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; the last look decides."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def filed_mails(mail_dir: Path) -> list[str]:
    """Every message the file e-mail backend wrote into `mail_dir`, one string each."""
    if not mail_dir.exists():
        return []
    return [
        message
        for path in sorted(mail_dir.glob("*.log"))
        for message in path.read_text().split(_SEPARATOR)
        if message.strip()
    ]

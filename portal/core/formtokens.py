"""One-time form tokens, kept in the session, against double submits.

Each rendered form carries a token; the session maps it to "" (unused), `PENDING` (a request is
writing right now) or a value the view chooses (what the first submit created). A second POST of
a used token leads to what the first one created instead of creating it again; a double click,
which sends the form twice at once, waits for the first request's result (`wait`).

A view uses it in three steps:

    token, done = TOKENS.arrived(request)      # done: what the first submit created, or ""
    if done:
        return redirect(...done...)            # the second POST leads to the same result
    if token is None: ...                      # no token or an expired session: show again
    with TOKENS.submitting(request, token):    # PENDING while writing, "" again on an error
        thing = thing_submit(...)
    TOKENS.set(request, token, thing.key)
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings

PENDING = "…"
PENDING_WAIT_SECONDS = 8.0


class FormTokens:
    def __init__(
        self, session_key: str, *, kept: int = 20, on_evict: Callable | None = None
    ) -> None:
        self.session_key = session_key
        self.kept = kept
        self.on_evict = on_evict  # on_evict(request, token): clean up what a token held

    def issue(self, request) -> str:
        tokens = request.session.get(self.session_key, {})
        token = secrets.token_urlsafe(18)
        tokens[token] = ""
        while len(tokens) > self.kept:
            oldest = next(iter(tokens))
            tokens.pop(oldest)
            if self.on_evict is not None:
                self.on_evict(request, oldest)
        request.session[self.session_key] = tokens
        return token

    def state(self, request, token: str) -> str | None:
        return request.session.get(self.session_key, {}).get(token) if token else None

    def set(self, request, token: str, value: str, *, save: bool = False) -> None:
        tokens = request.session.get(self.session_key, {})
        tokens[token] = value
        request.session[self.session_key] = tokens
        if save:
            request.session.save()

    def arrived(self, request, *, field: str = "form_token") -> tuple[str | None, str]:
        """The posted token and what its first submit created ("" if nothing yet; waits for a
        concurrent first request). The token is None when it is missing or unknown (an expired
        session): nothing may be written then, the form is shown again."""
        token = request.POST.get(field, "")
        state = self.state(request, token)
        if state is None:
            return None, ""
        if state == PENDING:
            state = self.wait(request, token) or ""
        return token, state

    @contextmanager
    def submitting(self, request, token: str) -> Iterator[None]:
        """Marks the token PENDING (saved at once, so a concurrent second request waits) while
        the body writes; any error makes it unused again, so the form can be sent once more."""
        self.set(request, token, PENDING, save=True)
        try:
            yield
        except BaseException:
            self.set(request, token, "", save=True)
            raise

    def wait(self, request, token: str, *, seconds: float = PENDING_WAIT_SECONDS) -> str | None:
        """The value the concurrent first request stores, or None if it does not come in time."""
        engine = import_module(settings.SESSION_ENGINE)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.2)
            stored = engine.SessionStore(request.session.session_key).get(self.session_key, {})
            state = stored.get(token)
            if state and state != PENDING:
                return state
        return None

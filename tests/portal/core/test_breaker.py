"""The breaker shared by the cache, the rate limits and the doorbell: after a failure the server
is left alone for a pause, then one caller at a time tries again."""

import pytest

from portal.core import breaker


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(breaker.time, "time", clock)
    breaker.reset()
    yield clock
    breaker.reset()


def test_a_failure_pauses_the_server_then_one_probe_passes(clock):
    server = breaker.breaker_for("redis://127.0.0.1:6379/0")
    assert server.allows()
    assert server.failed() is True  # worth a log line
    assert server.failed() is False  # already open: no second line
    assert not server.allows()

    clock.now += breaker.PAUSE_SECONDS
    assert server.allows()  # the probe
    assert not server.allows()  # the others wait for its answer
    server.succeeded()
    assert server.allows() and server.allows()


def test_a_failed_probe_opens_it_for_another_pause(clock):
    server = breaker.breaker_for("redis://127.0.0.1:6379/0")
    server.failed()
    clock.now += breaker.PAUSE_SECONDS
    assert server.allows()
    server.failed()
    clock.now += breaker.PAUSE_SECONDS - 0.1
    assert not server.allows()


def test_a_probe_that_never_answers_does_not_block_for_ever(clock):
    server = breaker.breaker_for("redis://127.0.0.1:6379/0")
    server.failed()
    clock.now += breaker.PAUSE_SECONDS
    assert server.allows()  # this caller dies without reporting
    clock.now += breaker.PAUSE_SECONDS
    assert server.allows()


def test_one_breaker_per_server_whatever_the_database(clock):
    cache = breaker.breaker_for("redis://127.0.0.1:6379/1")
    broker = breaker.breaker_for("redis://127.0.0.1:6379/0")
    other = breaker.breaker_for("redis://redis-cache.internal:6380/0")
    assert cache is broker
    cache.failed()
    assert not broker.allows()
    assert other.allows()


def test_a_clock_set_back_ends_the_pause_instead_of_stretching_it(clock):
    server = breaker.breaker_for("redis://127.0.0.1:6379/0")
    server.failed()
    clock.now -= 3600
    assert server.allows()

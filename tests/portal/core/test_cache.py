"""A dead Redis cache degrades to no cache; pages keep working."""

import pytest
from django.core.cache import cache


def test_operations_behave_like_a_miss(dead_cache):
    assert dead_cache.get("x", "fallback") == "fallback"
    dead_cache.set("x", 1)
    assert dead_cache.add("x", 1) is False
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.delete("x") is False


@pytest.mark.django_db
def test_pages_render_without_redis(client, demo_site, dead_cache):
    assert client.get("/").status_code == 200
    assert client.get("/impressum/").status_code == 200


def test_working_redis_is_used(redis_cache):
    cache.set("probe", "wert", 30)
    assert cache.get("probe") == "wert"

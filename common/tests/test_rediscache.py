"""The Redis cache backend keeps one client per connection pool (common/rediscache.py) and still behaves as
Django's: values round-trip, keys expire, and threads share the client safely."""

from __future__ import annotations

import os
import threading
import uuid

import pytest

from common.rediscache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def cache():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs Redis (make test sets REDIS_URL)")
    backend = RedisCache(url, {"KEY_PREFIX": f"rediscache-test-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many([f"k{i}" for i in range(40)] + ["n", "gone"])


def test_one_client_per_pool_not_one_per_call(cache):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client("any-key", write=False) is client


def test_values_round_trip_counters_count_and_timeouts_expire(cache):
    cache.set("k0", {"stamp": 3, "name": "금천"}, 60)
    assert cache.get("k0") == {"stamp": 3, "name": "금천"}
    assert cache.add("n", 1, None) and not cache.add("n", 5, None)
    assert cache.incr("n") == 2
    cache.set("gone", "x", 0)  # a timeout of 0 deletes, as in Django's backend
    assert cache.get("gone") is None


def test_threads_share_the_client_and_each_reads_its_own_keys(cache):
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for n in range(25):
                cache.set(f"k{i}", (i, n), 60)
                assert cache.get(f"k{i}") == (i, n)
        except BaseException as err:  # noqa: BLE001  (reported below, in the test's thread)
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [cache.get(f"k{i}") for i in range(40)] == [(i, 24) for i in range(40)]

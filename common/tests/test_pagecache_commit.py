"""The pages' cache as production runs it: the stamp moves when a write's transaction commits, not before (the rest
of the suite also bumps at every write, because its transactions never commit). PostgreSQL and Redis, with real
commits and a second connection reading while the write's transaction is open."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from common import pagecache
from common.tests.pagecache_support import use_page_cache

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


@pytest.fixture(autouse=True)
def committed_bumps_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and Redis (make test)")
    settings.PAGE_CACHE_BUMP_IN_TRANSACTION = False
    use_page_cache(settings, "test-pagecache-commit")


def stamp():
    return pagecache._cache().get(pagecache.STAMP_KEY)


def in_another_thread(url: str) -> tuple[str, int]:
    """A GET from a second connection, as another gunicorn worker would make it."""
    out = {}

    def run():
        try:
            with CaptureQueriesContext(connection) as ctx:
                out["html"] = Client().get(url).content.decode()
            out["queries"] = len(ctx.captured_queries)
        finally:
            connection.close()

    t = threading.Thread(target=run)
    t.start()
    t.join()
    return out["html"], out["queries"]


def test_a_page_read_during_the_write_is_retired_by_its_commit(world):
    anchor = world["geumcheon"]
    old_name = anchor.name_ko
    assert old_name in in_another_thread("/")[0]
    before = stamp()
    with transaction.atomic():
        anchor.name_ko = "금천 앵커 (커밋 전)"
        anchor.save()
        assert stamp() == before  # nothing moves until the commit
        html, _queries = in_another_thread("/")  # another worker reads meanwhile: the data from before
        assert old_name in html and "커밋 전" not in html
        assert in_another_thread("/")[1] == 0  # and keeps it, under the stamp from before the commit
    assert stamp() != before
    html, queries = in_another_thread("/")
    assert queries > 0 and "금천 앵커 (커밋 전)" in html


def test_a_rolled_back_write_moves_nothing(world):
    in_another_thread("/")
    before = stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        world["geumcheon"].save()
        raise RuntimeError("rolled back")
    assert stamp() == before and in_another_thread("/")[1] == 0

"""The pages' cache switched on for a test, on the real Redis the suite uses, with its own key prefix."""

from __future__ import annotations

import os

import pytest

from common import pagecache


def use_page_cache(settings, prefix: str) -> None:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("the pages' cache needs Redis (make test sets REDIS_URL)")
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}",
        },
    }
    pagecache._bump()

"""Test settings: the real settings with a test secret, fast hashing and in-memory mail.

DATABASE_URL and REDIS_URL come from the environment (`make test` sets PostgreSQL and Redis).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-only-for-the-test-suite-0123456789-abcdefghijklmnop")
os.environ.setdefault("EMAIL_URL", "memorymail://")  # replaced just below by the test backends
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # live-server threads must not keep connections past a test
if os.environ.get("TEST_DATABASE_NAME"):  # bench/ builds its own database, so a test run beside it is not broken
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
# Tasks run in-process in tests unless a test starts a real worker (the worker tests override this).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)  # noqa: F405  the worker started by the tests sets 0
CELERY_TASK_EAGER_PROPAGATES = True
if env.str("EMAIL_FILE_PATH", default=""):  # noqa: F405  the worker started by the tests writes mail to files
    EMAIL_BACKEND = env.str("TEST_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")  # noqa: F405
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")  # noqa: F405
AXES_ENABLED = False  # the lockout tests turn it on; the test client's login() passes no request
# Parallel test processes share one Redis database but not one PostgreSQL database: each keeps its own pages.
if CACHES["pages"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["pages"]["KEY_PREFIX"] = f"test-pages-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
# The tests' transactions are rolled back, never committed, so the commit's bump of the pages' data stamp never
# comes: they bump at every write as well (common/pagecache.py; tests/test_pagecache_commit.py runs the real path).
PAGE_CACHE_BUMP_IN_TRANSACTION = env.bool("PAGE_CACHE_BUMP_IN_TRANSACTION", default=True)  # noqa: F405
if CACHES["throttle"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    CACHES["throttle"]["KEY_PREFIX"] = f"test-throttle-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
# The suite sends many API requests from one address; the throttling tests set their own low rates.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"address": "100000/min", "user": "100000/min", "token": "100000/min"}  # noqa: F405
API_BAD_TOKENS_PER_MINUTE = 100000  # tests send wrong tokens on purpose from one address; one test lowers it
BILLING_ONLINE_PROVIDER = "sandbox"  # the sandbox takes no money; the tests pay with it

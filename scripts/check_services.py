"""Stop at once, with one line, when the PostgreSQL or Redis that `make test` needs is not reachable."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit


def check_postgres(url: str) -> str | None:
    import psycopg2

    parts = urlsplit(url)
    try:
        conn = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        )
        conn.close()
    except psycopg2.OperationalError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return (
            f"PostgreSQL is not reachable at {url} ({first}); start it with "
            f"`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
            f"(or install it: apt-get install -y postgresql), or set TEST_DATABASE_URL."
        )
    return None


def check_redis(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as err:
        return (
            f"Redis is not reachable at {url} ({type(err).__name__}); start it with "
            f"`redis-server --daemonize yes --save '' --bind 127.0.0.1` "
            f"(or install it: apt-get install -y redis-server), or set TEST_REDIS_URL."
        )
    return None


def main(argv: list[str]) -> int:
    pg_url, redis_url = argv[1], argv[2]
    for problem in (check_postgres(pg_url), check_redis(redis_url)):
        if problem:
            print(problem, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

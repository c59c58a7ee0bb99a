"""Helpers for the tests."""


def reset_celery_connections(app) -> None:
    """Forget pooled broker connections after a test changes the broker URL (new pools are made on demand)."""
    app._pool = None
    app.amqp._producer_pool = None

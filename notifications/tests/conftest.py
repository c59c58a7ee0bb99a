from reservations.tests.conftest import NOW, at  # noqa: F401  the test clock

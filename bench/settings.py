"""The production settings with the two baseline views added to the URLs (bench/urls.py); used only by bench/."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

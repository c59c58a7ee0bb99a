"""The portal's URLs plus the two baselines every page is measured against, served through the same middleware."""

from django.http import HttpResponse
from django.urls import path

import config.urls
from anchors.models import Anchor


def bare(request):
    return HttpResponse("ok")


def one_query(request):
    """One indexed query (a unique slug), the cheapest view that reads the database."""
    name = Anchor.objects.filter(slug="geumcheon").values_list("name_ko", flat=True).first()
    return HttpResponse(name or "")


urlpatterns = [
    path("__bench__/bare", bare),
    path("__bench__/one-query", one_query),
    *config.urls.urlpatterns,
]
handler500 = config.urls.handler500

from django.urls import path

from . import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.TokensView.as_view(), name="list"),
    path("<int:pk>/revoke/", pages.RevokeView.as_view(), name="revoke"),
]

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("anchors/", views.AnchorList.as_view(), name="anchors"),
    path("anchors/<slug:slug>/", views.AnchorDetail.as_view(), name="anchor"),
    path("anchors/<slug:slug>/resources/", views.AnchorResources.as_view(), name="anchor_resources"),
    path("resources/<str:key>/week/", views.ResourceWeek.as_view(), name="resource_week"),
    path("resources/<str:key>/quote/", views.ResourceQuote.as_view(), name="resource_quote"),
    path("problems/", views.Problems.as_view(), name="problems"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

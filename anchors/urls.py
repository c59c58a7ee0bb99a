from django.urls import path

from . import views

app_name = "anchors"

urlpatterns = [
    path("", views.AnchorListView.as_view(), name="list"),
    path("<slug:slug>/", views.AnchorDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.AnchorUpdateView.as_view(), name="update"),
]

from django.urls import path

from . import views

app_name = "tenants"

urlpatterns = [
    path("tenants/apply/", views.ApplyView.as_view(), name="apply"),
    path("anchors/<slug:slug>/tenants/", views.TenantBoardView.as_view(), name="board"),
    path("tenants/applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
    path(
        "tenants/applications/<int:pk>/document/",
        views.ApplicationDocumentView.as_view(),
        name="application_document",
    ),
    path("leases/<int:pk>/<str:action>/", views.LeaseActionView.as_view(), name="lease_action"),
]

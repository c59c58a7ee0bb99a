from django.urls import path

from . import tenancy_views, views

app_name = "facilities"

urlpatterns = [
    path("anchors/<slug:slug>/facilities/", views.AnchorFacilitiesView.as_view(), name="anchor_facilities"),
    path("anchors/<slug:slug>/spaces/<slug:space>/", views.SpaceDetailView.as_view(), name="space_detail"),
    path("anchors/<slug:slug>/rates/", views.RatesView.as_view(), name="rates"),
    path("anchors/<slug:slug>/closures/", views.ClosureListView.as_view(), name="closures"),
    path("anchors/<slug:slug>/inventory/", views.InventoryListView.as_view(), name="inventory"),
    path("closures/<int:pk>/delete/", views.ClosureDeleteView.as_view(), name="closure_delete"),
    path("equipment/<int:pk>/", views.EquipmentDetailView.as_view(), name="equipment_detail"),
    path("equipment/<int:pk>/report/", views.EquipmentReportFaultView.as_view(), name="equipment_report"),
    path("equipment/<int:pk>/status/", views.EquipmentStatusView.as_view(), name="equipment_status"),
    path("maintenance/<int:pk>/resolve/", views.MaintenanceResolveView.as_view(), name="maintenance_resolve"),
    path("certifications/", views.CertificationListView.as_view(), name="certifications"),
    path("certifications/<int:pk>/revoke/", views.CertificationRevokeView.as_view(), name="certification_revoke"),
    path("inventory/<int:pk>/checkout/", views.InventoryCheckoutView.as_view(), name="inventory_checkout"),
    path("loans/<int:pk>/return/", views.InventoryReturnView.as_view(), name="loan_return"),
    path("tenants/apply/", tenancy_views.ApplyView.as_view(), name="apply"),
    path("anchors/<slug:slug>/tenants/", tenancy_views.TenantBoardView.as_view(), name="tenants"),
    path("tenants/applications/<int:pk>/", tenancy_views.ApplicationDetailView.as_view(), name="application"),
    path(
        "tenants/applications/<int:pk>/document/",
        tenancy_views.ApplicationDocumentView.as_view(),
        name="application_document",
    ),
    path("leases/<int:pk>/<str:action>/", tenancy_views.LeaseActionView.as_view(), name="lease_action"),
    path("evidence/", tenancy_views.EvidenceReviewView.as_view(), name="evidence"),
    path("evidence/<int:pk>/file/", tenancy_views.EvidenceFileView.as_view(), name="evidence_file"),
]

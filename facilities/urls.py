from django.urls import path

from . import views

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
]

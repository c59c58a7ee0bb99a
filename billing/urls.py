from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("me/billing/", views.MyBillingView.as_view(), name="mine"),
    path("me/billing/<int:pk>/statement/<int:year>-<int:month>/", views.StatementView.as_view(), name="statement"),
    path("billing/<str:code>/", views.DocumentView.as_view(), name="document"),
    path("billing/<str:code>/pdf/", views.DocumentPdfView.as_view(), name="document_pdf"),
    path("billing/<str:code>/pay/", views.PayOnlineView.as_view(), name="pay"),
    path("billing/<str:code>/payments/", views.PaymentRecordView.as_view(), name="payment_record"),
    path("billing/<str:code>/refunds/", views.RefundRecordView.as_view(), name="refund_record"),
    path("billing-sandbox/<uuid:pk>/", views.SandboxCheckoutView.as_view(), name="sandbox_checkout"),
    path("billing-webhooks/<str:provider>/", views.WebhookView.as_view(), name="webhook"),
    path("desk/<slug:slug>/billing/", views.DeskBillingView.as_view(), name="desk"),
    path("desk/<slug:slug>/billing/closing/", views.ClosingView.as_view(), name="closing"),
    path("desk/<slug:slug>/billing/bank/", views.BankImportView.as_view(), name="bank"),
    path("desk/<slug:slug>/billing/deposits/<int:pk>/", views.DepositSettleView.as_view(), name="deposit_settle"),
]

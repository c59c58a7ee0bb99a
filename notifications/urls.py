from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("desk/<slug:slug>/outbox/", views.OutboxView.as_view(), name="outbox"),
]

from django.urls import path, re_path

from . import views

app_name = "reservations"

KIND = r"(?P<kind>space|equipment)/(?P<pk>[0-9]+)"

urlpatterns = [
    re_path(rf"^book/{KIND}/$", views.ResourceWeekView.as_view(), name="resource_week"),
    re_path(rf"^book/{KIND}/new/$", views.BookingView.as_view(), name="book"),
    re_path(rf"^calendar/{KIND}\.ics$", views.ResourceFeedView.as_view(), name="resource_feed"),
    path("calendar/feed/<str:token>.ics", views.PrivateFeedView.as_view(), name="private_feed"),
    path("me/reservations/", views.MyReservationsView.as_view(), name="mine"),
    path("me/calendar/reset/", views.FeedResetView.as_view(), name="feed_reset"),
    path("reservations/<int:pk>/", views.ReservationDetailView.as_view(), name="detail"),
    path("reservations/<int:pk>/reservation.ics", views.ReservationIcsView.as_view(), name="ics"),
    path("reservations/<int:pk>/move/", views.MoveView.as_view(), name="move"),
    path("reservations/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("reservations/<int:pk>/cancel-series/", views.CancelSeriesView.as_view(), name="cancel_series"),
    path("reservations/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("reservations/<int:pk>/reject/", views.RejectView.as_view(), name="reject"),
    path("reservations/<int:pk>/check-in/", views.CheckInView.as_view(), name="check_in"),
    path("reservations/<int:pk>/no-show/", views.NoShowView.as_view(), name="no_show"),
    path("reservations/<int:pk>/complete/", views.CompleteView.as_view(), name="complete"),
    path("reservations/<int:pk>/waive/", views.WaiveView.as_view(), name="waive"),
    path("desk/<slug:slug>/", views.DeskView.as_view(), name="desk"),
    path("desk/<slug:slug>/closures/<int:pk>/affected/", views.ClosureAffectedView.as_view(), name="closure_affected"),
    path("desk/check-in/<str:code>/", views.CheckinByCodeView.as_view(), name="checkin_code"),
]

"""The reservation pages, split by job (see each module)."""

from __future__ import annotations

from .actions import (
    ApproveView,
    CancelSeriesView,
    CancelView,
    CheckInView,
    CompleteView,
    MoveView,
    NoShowView,
    RejectView,
    ReservationActionView,
    WaiveView,
)
from .booking import BookingView, ResourceWeekView
from .calendars import FeedResetView, PrivateFeedView, ReservationIcsView, ResourceFeedView
from .desk import CheckinByCodeView, ClosureAffectedView, DeskMixin, DeskView
from .mine import MyReservationsView, ReservationDetailView

__all__ = [
    "ApproveView",
    "BookingView",
    "CancelSeriesView",
    "CancelView",
    "CheckInView",
    "CheckinByCodeView",
    "ClosureAffectedView",
    "CompleteView",
    "DeskMixin",
    "DeskView",
    "FeedResetView",
    "MoveView",
    "MyReservationsView",
    "NoShowView",
    "PrivateFeedView",
    "RejectView",
    "ReservationActionView",
    "ReservationDetailView",
    "ReservationIcsView",
    "ResourceFeedView",
    "ResourceWeekView",
    "WaiveView",
]

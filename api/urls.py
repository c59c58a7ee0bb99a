from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import reservations, views

app_name = "api"

urlpatterns = [
    path("anchors/", views.AnchorList.as_view(), name="anchors"),
    path("anchors/<slug:slug>/", views.AnchorDetail.as_view(), name="anchor"),
    path("anchors/<slug:slug>/resources/", views.AnchorResources.as_view(), name="anchor_resources"),
    path("resources/<str:key>/week/", views.ResourceWeek.as_view(), name="resource_week"),
    path("resources/<str:key>/quote/", views.ResourceQuote.as_view(), name="resource_quote"),
    path("anchors/<slug:slug>/reservations/", reservations.DeskDay.as_view(), name="desk_day"),
    path("reservations/", reservations.MyReservations.as_view(), name="reservations"),
    path("reservations/<int:pk>/", reservations.ReservationDetail.as_view(), name="reservation"),
    path("reservations/<int:pk>/ics/", reservations.ReservationIcs.as_view(), name="reservation_ics"),
    *[
        path(
            f"reservations/<int:pk>/{action.replace('_', '-')}/",
            reservations.action_view(action),
            name=f"reservation_{action}",
        )
        for action in reservations.ACTION_BODIES
    ],
    path("problems/", views.Problems.as_view(), name="problems"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

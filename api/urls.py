from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import budgets, programmes, reservations, views

app_name = "api"

urlpatterns = [
    path("anchors/", views.AnchorList.as_view(), name="anchors"),
    path("anchors/<slug:slug>/", views.AnchorDetail.as_view(), name="anchor"),
    path("anchors/<slug:slug>/resources/", views.AnchorResources.as_view(), name="anchor_resources"),
    path("resources/<str:key>/week/", views.ResourceWeek.as_view(), name="resource_week"),
    path("resources/<str:key>/quote/", views.ResourceQuote.as_view(), name="resource_quote"),
    path("anchors/<slug:slug>/rates/", views.AnchorRates.as_view(), name="anchor_rates"),
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
    path("programmes/", programmes.ProgrammeList.as_view(), name="programmes"),
    path("programmes/<int:pk>/", programmes.ProgrammeDetail.as_view(), name="programme"),
    path("programmes/<int:pk>/register/", programmes.ProgrammeRegister.as_view(), name="programme_register"),
    path(
        "programmes/<int:pk>/cancel-registration/",
        programmes.ProgrammeCancelRegistration.as_view(),
        name="programme_cancel_registration",
    ),
    path("budgets/", budgets.BudgetYears.as_view(), name="budget_years"),
    path("budgets/<int:year>/summary/", budgets.BudgetSummary.as_view(), name="budget_summary"),
    path("budgets/<int:year>/execution/", budgets.BudgetExecution.as_view(), name="budget_execution"),
    path("budgets/anchors/<slug:slug>/", budgets.AnchorBudget.as_view(), name="budget_anchor"),
    path("problems/", views.Problems.as_view(), name="problems"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

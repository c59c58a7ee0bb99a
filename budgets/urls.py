from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.BudgetIndexView.as_view(), name="index"),
    path("<int:year>/", views.SummaryView.as_view(), name="summary"),
    path("<int:year>/execution/", views.ExecutionView.as_view(), name="execution"),
    path("<int:year>/items/<str:code>/", views.ItemView.as_view(), name="item"),
    path("lines/<int:pk>/", views.LineView.as_view(), name="line"),
    path("records/<int:pk>/evidence/", views.RecordEvidenceView.as_view(), name="record_evidence"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("project/", views.ProjectView.as_view(), name="project"),
    path("settlement/", views.SettlementView.as_view(), name="settlement"),
    path("anchors/<slug:slug>/", views.AnchorBudgetView.as_view(), name="anchor"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("reports/", views.ReportsView.as_view(), name="reports"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("reports/<int:pk>/<str:fmt>/", views.ReportFileView.as_view(), name="report_file"),
]

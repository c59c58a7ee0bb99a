from django.urls import path, re_path

from . import views

app_name = "opendata"

MONTH = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})"  # ASCII digits only: one address per file

urlpatterns = [
    path("open-data/", views.OpenDataView.as_view(), name="index"),
    re_path(rf"^open-data/anchor-utilisation-{MONTH}\.csv$", views.MonthFileView.as_view(fmt="csv"), name="month_csv"),
    re_path(
        rf"^open-data/anchor-utilisation-{MONTH}\.json$", views.MonthFileView.as_view(fmt="json"), name="month_json"
    ),
    path("open-data/anchor-utilisation.csv", views.SeriesFileView.as_view(fmt="csv"), name="series_csv"),
    path("open-data/anchor-utilisation.json", views.SeriesFileView.as_view(fmt="json"), name="series_json"),
    path("open-data/metadata.json", views.MetadataView.as_view(), name="metadata"),
    path("open-data/columns.csv", views.ColumnsView.as_view(), name="columns"),
]

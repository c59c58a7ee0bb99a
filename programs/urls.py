from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="list"),
    path("anchors/<slug:slug>/programmes/", views.ProgrammeListView.as_view(), name="anchor_list"),
    path("anchors/<slug:slug>/programmes/new/", views.ProgrammeCreateView.as_view(), name="create"),
    path("programmes/trainings/<slug:slug>/alert/", views.TrainingAlertView.as_view(), name="training_alert"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("programmes/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("programmes/<int:pk>/cancel/", views.CancelRegistrationView.as_view(), name="cancel"),
    path("programmes/<int:pk>/manage/", views.ProgrammeManageView.as_view(), name="manage"),
    path(
        "programmes/<int:pk>/registrations/<int:reg>/cancel/",
        views.RegistrationObjectView.as_view(),
        name="registration_cancel",
    ),
    path("me/programmes/", views.MyProgrammesView.as_view(), name="mine"),
]

from django.urls import path

from .views import lottery, standing, waiting

app_name = "allocation"

urlpatterns = [
    path("lottery/", lottery.WindowListView.as_view(), name="windows"),
    path("lottery/<int:pk>/", lottery.WindowDetailView.as_view(), name="window"),
    path("lottery/<int:pk>/apply/", lottery.ApplyView.as_view(), name="apply"),
    path("lottery/<int:pk>/withdraw/", lottery.WithdrawView.as_view(), name="withdraw"),
    path("lottery/<int:pk>/draw/", lottery.DrawView.as_view(), name="draw"),
    path("lottery/<int:pk>/draw.json", lottery.DrawJsonView.as_view(), name="draw_json"),
    path("desk/<slug:slug>/lottery/", lottery.DeskWindowsView.as_view(), name="desk_windows"),
    path("desk/<slug:slug>/lottery/new/", lottery.WindowCreateView.as_view(), name="window_create"),
    path("desk/<slug:slug>/lottery/<int:pk>/cancel/", lottery.WindowCancelView.as_view(), name="window_cancel"),
    path("me/waiting/", waiting.MyWaitsView.as_view(), name="my_waits"),
    path("waiting/join/", waiting.JoinView.as_view(), name="wait_join"),
    path("waiting/<int:pk>/accept/", waiting.AcceptView.as_view(), name="wait_accept"),
    path("waiting/<int:pk>/withdraw/", waiting.WithdrawView.as_view(), name="wait_withdraw"),
    path("desk/<slug:slug>/waiting/", waiting.DeskWaitsView.as_view(), name="desk_waits"),
    path("me/standing/", standing.StandingView.as_view(), name="standing"),
    path("me/standing/strikes/<int:pk>/appeal/", standing.AppealView.as_view(), name="appeal"),
    path("desk/<slug:slug>/strikes/", standing.DeskStrikesView.as_view(), name="desk_strikes"),
    path("desk/<slug:slug>/appeals/<int:pk>/decide/", standing.DecideView.as_view(), name="decide"),
]

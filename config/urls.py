from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from anchors.admin import examples_view
from anchors.views import AnchorListView, DashboardView, LandingView
from common.health import healthz, livez

admin.site.site_header = _("Seoul anchor facilities: administration")
admin.site.site_title = _("Anchor facilities admin")
admin.site.index_title = _("Administration")
admin.site.index_template = "admin/portal_index.html"

urlpatterns = [
    path("", AnchorListView.as_view(), name="home"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("welcome/", LandingView.as_view(), name="landing"),
    path("", include("facilities.urls")),
    path("", include("tenants.urls")),
    path("", include("reservations.urls")),
    path("", include("allocation.urls")),
    path("", include("billing.urls")),
    path("", include("programs.urls")),
    path("", include("notifications.urls")),
    path("budgets/", include("budgets.urls")),
    path("", include("opendata.urls")),
    path("anchors/", include("anchors.urls")),
    path("accounts/api-tokens/", include("api.page_urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/examples/", admin.site.admin_view(examples_view), name="admin_examples"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler500 = "common.requestid.server_error"

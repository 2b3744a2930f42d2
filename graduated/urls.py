from django.contrib import admin
from django.urls import include, path

from graduated.lib import views as lib_views

urlpatterns = [
    path("", lib_views.home, name="home"),
    path("healthz", lib_views.healthz, name="healthz"),
    path("accessibility", lib_views.accessibility, name="accessibility"),
    path("accounts/", include("graduated.accounts.urls")),
    path("organisations/", include("graduated.organisations.urls")),
    path("pupils/", include("graduated.pupils.urls")),
    path("platform-admin/", admin.site.urls),
]

handler400 = "graduated.lib.views.bad_request"
handler403 = "graduated.lib.views.permission_denied"
handler404 = "graduated.lib.views.page_not_found"
handler500 = "graduated.lib.views.server_error"

from django.contrib import admin
from django.urls import include, path

from graduated.api.routes import v1_urls
from graduated.lib import views as lib_views

urlpatterns = [
    path("", lib_views.home, name="home"),
    path("healthz", lib_views.healthz, name="healthz"),
    path("accessibility", lib_views.accessibility, name="accessibility"),
    path("language", lib_views.set_language, name="set_language"),
    path("accounts/", include("graduated.accounts.urls")),
    path("organisations/", include("graduated.organisations.urls")),
    path("pupils/", include("graduated.pupils.urls")),
    # Each feature's pages about one pupil live under /pupils/<id>/<feature>/ (see each urls.py).
    path("", include("graduated.pathway.urls")),
    path("", include("graduated.support.urls")),
    path("", include("graduated.profiles.urls")),
    path("", include("graduated.meetings.urls")),
    path("", include("graduated.documents.urls")),
    path("", include("graduated.assessment_requests.urls")),
    path("worklists/", include("graduated.worklists.urls")),
    path("provision/", include("graduated.provision.urls")),
    path("funding/", include("graduated.funding.urls")),
    path("specialists/", include("graduated.specialists.urls")),
    path("statutory/", include("graduated.statutory.urls")),
    path("ehc/", include("graduated.ehc.urls")),
    path("oversight/", include("graduated.oversight.urls")),
    path("rules/", include("graduated.rulepacks.urls")),
    path("plans/", include("graduated.plans.urls")),
    path("guidance/", include("graduated.guidance.urls")),
    path("oap/", include("graduated.oap.urls")),
    path("training/", include("graduated.training.urls")),
    path("professionals/", include("graduated.professionals.urls")),
    path("family/notices/", include("graduated.family_notices.urls")),  # before "family/", which it is under
    path("family/", include("graduated.families.urls")),
    path("security/", include("graduated.audit.urls")),
    path("records/", include("graduated.records.urls")),
    path("api/tokens/", include("graduated.api.urls")),
    path("api/v1/", v1_urls()),  # the JSON API (graduated/api/README.md)
    path("platform-admin/", admin.site.urls),
]

handler400 = "graduated.lib.views.bad_request"
handler403 = "graduated.lib.views.permission_denied"
handler404 = "graduated.lib.views.page_not_found"
handler500 = "graduated.lib.views.server_error"

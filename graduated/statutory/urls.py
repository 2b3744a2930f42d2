from django.urls import path

from graduated.statutory import plan_views

app_name = "statutory"
urlpatterns = [
    path("pupils/<int:pupil_id>/my-support-plan/", plan_views.plan, name="plan"),
    path("pupils/<int:pupil_id>/my-support-plan/new-version/", plan_views.plan_edit, name="plan_edit"),
    path("pupils/<int:pupil_id>/my-support-plan/history/", plan_views.plan_history, name="plan_history"),
    path("pupils/<int:pupil_id>/my-support-plan/versions/<int:number>/", plan_views.plan_version, name="plan_version"),
    path("pupils/<int:pupil_id>/my-support-plan/export.<str:file_format>", plan_views.plan_export, name="plan_export"),
    path(
        "pupils/<int:pupil_id>/my-support-plan/versions/<int:number>/export.<str:file_format>",
        plan_views.plan_export,
        name="plan_version_export",
    ),
    path("pupils/<int:pupil_id>/pcp-meetings/new/", plan_views.pcp_record, name="pcp_record"),
    path("pupils/<int:pupil_id>/pcp-meetings/<int:meeting_id>/", plan_views.pcp_detail, name="pcp_detail"),
    path("settings/<int:setting_id>/my-support-plans/", plan_views.reviews_due, name="plan_reviews_due"),
]

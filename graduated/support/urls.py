from django.urls import path

from graduated.support import export_views, views

app_name = "support"
_CYCLE = "pupils/<int:pupil_id>/cycles/<int:cycle_id>"
urlpatterns = [
    path("pupils/<int:pupil_id>/cycles/", views.cycle_list, name="cycles"),
    path("pupils/<int:pupil_id>/cycles/start/", views.start, name="start"),
    path(f"{_CYCLE}/", views.cycle_detail, name="cycle"),
    path(f"{_CYCLE}/assessment/", views.assessment, name="assessment"),
    path(f"{_CYCLE}/evidence/add/", views.evidence_add, name="evidence_add"),
    path(f"{_CYCLE}/evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path(f"{_CYCLE}/outcomes/add/", views.outcome_edit, name="outcome_add"),
    path(f"{_CYCLE}/outcomes/<int:outcome_id>/", views.outcome_edit, name="outcome_edit"),
    path(f"{_CYCLE}/provision/add/", views.provision_edit, name="provision_add"),
    path(f"{_CYCLE}/provision/<int:provision_id>/", views.provision_edit, name="provision_edit"),
    path(f"{_CYCLE}/<str:kind>/<int:item_id>/remove/", views.remove, name="remove"),
    path(f"{_CYCLE}/agree/", views.agree, name="agree"),
    path(f"{_CYCLE}/acknowledge/", views.acknowledge, name="acknowledge"),
    path(f"{_CYCLE}/provision/<int:provision_id>/log/", views.log_delivery, name="log_delivery"),
    path(f"{_CYCLE}/review/", views.review, name="review"),
    path(f"{_CYCLE}/plan.<str:file_format>", export_views.plan_export, name="plan_export"),
    path("pupils/<int:pupil_id>/cycles/history.pdf", export_views.history_export, name="history_export"),
]

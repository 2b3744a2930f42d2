from django.urls import path

from graduated.records import census_views, export_views, transfer_views, views

app_name = "records"
urlpatterns = [
    path("settings/<int:setting_id>/import/", views.upload, name="import"),
    path("settings/<int:setting_id>/import/<int:run_id>/", views.run_page, name="run"),
    path("settings/<int:setting_id>/import/<int:run_id>/columns/", views.columns, name="columns"),
    path("settings/<int:setting_id>/import/<int:run_id>/start/", views.start, name="start"),
    path("settings/<int:setting_id>/import/<int:run_id>/cancel/", views.cancel, name="cancel"),
    path("settings/<int:setting_id>/import/<int:run_id>/not-imported.csv", views.refusals, name="refusals"),
    path("settings/<int:setting_id>/leavers/", export_views.leavers, name="leavers"),
    path("pupils/<int:pupil_id>/ctf/", export_views.pupil_ctf, name="pupil_ctf"),
    path("settings/<int:setting_id>/transfers/", transfer_views.transfer_list, name="transfers"),
    path("settings/<int:setting_id>/transfers/ask/", transfer_views.transfer_request, name="transfer_request"),
    path("settings/<int:setting_id>/transfers/<int:transfer_id>/", transfer_views.transfer_detail, name="transfer"),
    path(
        "settings/<int:setting_id>/transfers/<int:transfer_id>/withdraw/",
        transfer_views.transfer_withdraw,
        name="transfer_withdraw",
    ),
    path("settings/<int:setting_id>/census/", census_views.census, name="census"),
    path("pupils/<int:pupil_id>/previous-settings/", transfer_views.previous_settings, name="previous_settings"),
]

from django.urls import path

from graduated.records import views

app_name = "records"
urlpatterns = [
    path("settings/<int:setting_id>/import/", views.upload, name="import"),
    path("settings/<int:setting_id>/import/<int:run_id>/", views.run_page, name="run"),
    path("settings/<int:setting_id>/import/<int:run_id>/columns/", views.columns, name="columns"),
    path("settings/<int:setting_id>/import/<int:run_id>/start/", views.start, name="start"),
    path("settings/<int:setting_id>/import/<int:run_id>/cancel/", views.cancel, name="cancel"),
    path("settings/<int:setting_id>/import/<int:run_id>/not-imported.csv", views.refusals, name="refusals"),
]

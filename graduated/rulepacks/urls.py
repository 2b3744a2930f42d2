"""The LA's rule pack, mounted at /rules/: an LA's pages under la/<id>/, a setting's read-only page
under settings/<id>/rules/, and a pupil's readiness under pupils/<id>/readiness/."""

from django.urls import path

from graduated.rulepacks import views

app_name = "rulepacks"
LA = "la/<int:la_id>/"
urlpatterns = [
    path(LA, views.pack, name="pack"),
    path(f"{LA}versions/<int:number>/", views.version, name="version"),
    path(f"{LA}draft/start/", views.start_draft, name="start_draft"),
    path(f"{LA}draft/", views.draft, name="draft"),
    path(f"{LA}draft/rules/new/", views.edit_rule, name="add_rule"),
    path(f"{LA}draft/rules/<int:rule_id>/", views.edit_rule, name="change_rule"),
    path(f"{LA}draft/rules/<int:rule_id>/remove/", views.remove_rule, name="remove_rule"),
    path(f"{LA}draft/publish/", views.publish, name="publish"),
    path(f"{LA}stages/", views.stages, name="stages"),
    path("settings/<int:setting_id>/rules/", views.setting_rules, name="setting_rules"),
    path("pupils/<int:pupil_id>/readiness/", views.readiness, name="readiness"),
]

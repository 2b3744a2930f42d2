"""URLs of provision mapping's cost pages (included by provision/urls.py, namespace "provision")."""

from django.urls import URLPattern, path

from graduated.provision import cost_views, term_views

urlpatterns: list[URLPattern] = [
    path("setting/<int:setting_id>/costs/", cost_views.staff_costs, name="staff_costs"),
    path("setting/<int:setting_id>/provision-map/", cost_views.setting_map, name="setting_map"),
    path(
        "setting/<int:setting_id>/provision-map.<str:file_format>",
        cost_views.setting_map_export,
        name="setting_map_export",
    ),
    path("pupils/<int:pupil_id>/provision-map/", cost_views.pupil_map, name="pupil_map"),
    path("pupils/<int:pupil_id>/provision-map.<str:file_format>", cost_views.pupil_map_export, name="pupil_map_export"),
    path("la/<int:la_id>/term-dates/", term_views.term_dates, name="term_dates"),
]

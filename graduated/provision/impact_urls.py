"""URLs of provision mapping's impact pages (included by provision/urls.py, namespace "provision")."""

from django.urls import URLPattern, path

from graduated.provision import impact_views

urlpatterns: list[URLPattern] = [
    path("groups/<int:group_id>/impact/", impact_views.group_impact, name="group_impact"),
    path("setting/<int:setting_id>/impact/", impact_views.setting_impact, name="setting_impact"),
    path("la/<int:la_id>/impact/", impact_views.la_impact, name="la_impact"),
]

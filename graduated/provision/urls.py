"""Provision mapping's URLs. Each part keeps its own list, so the catalogue, groups and registers,
costs and maps, and impact can each be read (and changed) on their own."""

from django.urls import path

from graduated.provision import cost_urls, group_urls, impact_urls, views

app_name = "provision"
urlpatterns = [
    path("<str:kind>/<int:organisation_id>/catalogue/", views.catalogue, name="catalogue"),
    path("<str:kind>/<int:organisation_id>/catalogue/new/", views.edit_item, name="add_item"),
    path("<str:kind>/<int:organisation_id>/catalogue/<int:item_id>/", views.edit_item, name="edit_item"),
    path("setting/<int:setting_id>/catalogue/adopt/<int:item_id>/", views.adopt, name="adopt"),
    path("la/<int:la_id>/tiers/", views.name_tiers, name="name_tiers"),
    *group_urls.urlpatterns,
    *cost_urls.urlpatterns,
    *impact_urls.urlpatterns,
]

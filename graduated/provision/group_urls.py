"""URLs of provision mapping's group pages (included by provision/urls.py, namespace "provision")."""

from django.urls import URLPattern, path

from graduated.provision import group_views as views

urlpatterns: list[URLPattern] = [
    path("setting/<int:setting_id>/groups/", views.group_list, name="groups"),
    path("setting/<int:setting_id>/groups/new/", views.add_group, name="add_group"),
    path("setting/<int:setting_id>/timetable/", views.timetable, name="timetable"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/edit/", views.edit_group, name="edit_group"),
    path("groups/<int:group_id>/place/", views.place_pupil, name="place_pupil"),
    path("groups/<int:group_id>/places/<int:place_id>/end/", views.end_place, name="end_place"),
    path("groups/<int:group_id>/register/", views.register, name="group_register"),
    path("groups/<int:group_id>/scores/", views.scores, name="group_scores"),
]

"""Staff training, mounted at /training/: the LA's offer under la/<id>/, a setting's training record
and awareness overview under settings/<id>/, and a pupil's awareness page under pupils/<id>/."""

from django.urls import path

from graduated.training import views

app_name = "training"
LA = "la/<int:la_id>/"
SETTING = "settings/<int:setting_id>/"
urlpatterns = [
    path(f"{LA}courses/", views.offer, name="offer"),
    path(f"{LA}courses/new/", views.edit_course, name="add_course"),
    path(f"{LA}courses/<int:course_id>/", views.edit_course, name="change_course"),
    path(f"{LA}courses/<int:course_id>/offered/", views.set_offered, name="set_offered"),
    path(f"{SETTING}offer/", views.setting_offer, name="setting_offer"),
    path(f"{SETTING}staff/", views.staff, name="staff"),
    path(f"{SETTING}staff/<int:membership_id>/", views.member, name="member"),
    path(f"{SETTING}staff/<int:membership_id>/training/new/", views.add_training, name="add_training"),
    path(f"{SETTING}training/<int:record_id>/", views.change_training, name="change_training"),
    path(f"{SETTING}training/<int:record_id>/remove/", views.remove_training, name="remove_training"),
    path(f"{SETTING}awareness/", views.awareness_overview, name="awareness_overview"),
    path("pupils/<int:pupil_id>/awareness/", views.pupil_awareness, name="pupil_awareness"),
]

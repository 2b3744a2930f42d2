from django.urls import path

from graduated.profiles import views

app_name = "profiles"
urlpatterns = [
    path("pupils/<int:pupil_id>/profile/", views.profile, name="profile"),
    path("pupils/<int:pupil_id>/profile/edit/", views.edit, name="edit"),
    path("pupils/<int:pupil_id>/profile/history/", views.history, name="history"),
    path("pupils/<int:pupil_id>/profile/versions/<int:number>/", views.version, name="version"),
    path("pupils/<int:pupil_id>/profile/print/", views.print_profile, name="print"),
    path("pupils/<int:pupil_id>/profile/export.<str:file_format>", views.export, name="export"),
]

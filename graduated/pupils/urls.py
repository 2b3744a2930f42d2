from django.urls import path

from graduated.pupils import register_views, views

app_name = "pupils"
urlpatterns = [
    path("settings/<int:setting_id>/register/", register_views.register, name="register"),
    path("settings/<int:setting_id>/register.csv", register_views.register_export, name="register_export"),
    path("settings/<int:setting_id>/add/", register_views.add_pupil, name="add"),
    path("<int:pupil_id>/", views.detail, name="detail"),
    path("<int:pupil_id>/chronology/", views.chronology, name="chronology"),
    path("<int:pupil_id>/audit/", views.audit_log, name="audit_log"),
    path("<int:pupil_id>/details/", views.edit_details, name="edit_details"),
    path("<int:pupil_id>/status/", views.change_status, name="change_status"),
    path("<int:pupil_id>/needs/add/", views.add_need, name="add_need"),
    path("<int:pupil_id>/needs/<int:need_id>/end/", views.end_need, name="end_need"),
    path("<int:pupil_id>/staff/link/", views.link_staff, name="link_staff"),
    path("<int:pupil_id>/staff/<int:link_id>/unlink/", views.unlink_staff, name="unlink_staff"),
]

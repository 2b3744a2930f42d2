from django.urls import path

from graduated.meetings import views

app_name = "meetings"
urlpatterns = [
    path("pupils/<int:pupil_id>/meetings/", views.meeting_list, name="list"),
    path("pupils/<int:pupil_id>/meetings/new/", views.record_meeting, name="record"),
    path("pupils/<int:pupil_id>/meetings/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("pupils/<int:pupil_id>/meetings/<int:meeting_id>/edit/", views.edit_meeting, name="edit"),
    path("pupils/<int:pupil_id>/meetings/<int:meeting_id>/shared/", views.mark_shared, name="shared"),
    path(
        "pupils/<int:pupil_id>/meetings/<int:meeting_id>/actions/<int:action_id>/done/",
        views.complete_action,
        name="complete_action",
    ),
    path("meetings/settings/<int:setting_id>/", views.setting_overview, name="setting_overview"),
]

from django.urls import path

from graduated.families import views

app_name = "families"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/<int:pupil_id>/", views.child, name="child"),
    path("children/<int:pupil_id>/views/", views.views, name="views"),
    path("children/<int:pupil_id>/plan-response/", views.respond, name="respond"),
    path("children/<int:pupil_id>/meetings/<int:meeting_id>/read/", views.acknowledge, name="acknowledge"),
    path("manage/pupils/<int:pupil_id>/ask-views/", views.ask_views, name="ask_views"),
    path("manage/pupils/<int:pupil_id>/", views.manage, name="manage"),
    path("manage/pupils/<int:pupil_id>/links/<int:link_id>/end/", views.end, name="end"),
]

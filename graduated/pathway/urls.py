from django.urls import path

from graduated.pathway import views

app_name = "pathway"
urlpatterns = [
    path("pupils/<int:pupil_id>/concerns/new/", views.raise_concern, name="raise_concern"),
    path("pupils/<int:pupil_id>/concerns/<int:concern_id>/", views.concern_detail, name="concern"),
    path("pupils/<int:pupil_id>/concerns/<int:concern_id>/decide/", views.decide_concern, name="decide_concern"),
    path("pupils/<int:pupil_id>/stage/", views.change_stage, name="change_stage"),
    path("pupils/<int:pupil_id>/sen-support/remove/", views.remove_from_sen_support, name="remove_sen_support"),
    path("pathway/settings/<int:setting_id>/concerns/", views.setting_concerns, name="setting_concerns"),
]

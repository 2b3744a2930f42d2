from django.urls import path

from graduated.families import manage_views, views

app_name = "families"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/<int:pupil_id>/", views.child, name="child"),
    path("children/<int:pupil_id>/views/", views.views, name="views"),
    path("children/<int:pupil_id>/views/evidence/", views.add_evidence, name="add_evidence"),
    path("children/<int:pupil_id>/documents/<int:document_id>/", views.shared_document, name="shared_document"),
    path("children/<int:pupil_id>/plan-response/", views.respond, name="respond"),
    path("children/<int:pupil_id>/consent/<str:kind>/<int:target_id>/", views.give_consent, name="consent"),
    path("children/<int:pupil_id>/meetings/<int:meeting_id>/read/", views.acknowledge, name="acknowledge"),
    path("children/<int:pupil_id>/messages/", views.family_thread, name="thread"),
    path("manage/pupils/<int:pupil_id>/messages/", manage_views.school_thread, name="school_thread"),
    path("manage/settings/<int:setting_id>/messages/", manage_views.waiting, name="waiting"),
    path("for-you/<str:token>/", views.child_form_page, name="child_form"),
    path("manage/pupils/<int:pupil_id>/share/<str:kind>/<int:record_id>/", manage_views.share, name="share"),
    path("manage/pupils/<int:pupil_id>/child-form/", manage_views.make_child_form, name="make_child_form"),
    path("manage/pupils/<int:pupil_id>/ask-views/", manage_views.ask_views, name="ask_views"),
    path("manage/pupils/<int:pupil_id>/", manage_views.manage, name="manage"),
    path("manage/pupils/<int:pupil_id>/links/<int:link_id>/end/", manage_views.end, name="end"),
]

"""Local services and referrals, mounted at /specialists/: the LA's directory under la/<id>/, a
setting's view of it and its referrals under settings/<id>/, a pupil's referrals under pupils/<id>/."""

from django.urls import path

from graduated.specialists import directory_views, views

app_name = "specialists"
REFERRAL = "pupils/<int:pupil_id>/referrals/<int:referral_id>/"
urlpatterns = [
    path("la/<int:la_id>/services/", directory_views.la_directory, name="la_directory"),
    path("la/<int:la_id>/services/new/", directory_views.edit_service, name="add_service"),
    path("la/<int:la_id>/services/<int:service_id>/", directory_views.la_service, name="la_service"),
    path("la/<int:la_id>/services/<int:service_id>/edit/", directory_views.edit_service, name="edit_service"),
    path("settings/<int:setting_id>/services/", directory_views.setting_directory, name="setting_directory"),
    path("settings/<int:setting_id>/referrals/", views.setting_referrals, name="setting_referrals"),
    path("pupils/<int:pupil_id>/referrals/", views.pupil_referrals, name="pupil_referrals"),
    path("pupils/<int:pupil_id>/referrals/new/", views.new_referral, name="new_referral"),
    path(REFERRAL, views.referral_detail, name="referral"),
    path(f"{REFERRAL}edit/", views.edit_referral, name="edit_referral"),
    path(f"{REFERRAL}recommendations/new/", views.new_recommendation, name="new_recommendation"),
    path(
        f"{REFERRAL}recommendations/<int:recommendation_id>/decide/",
        views.decide_recommendation,
        name="decide_recommendation",
    ),
]

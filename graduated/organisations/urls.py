from django.urls import path

from graduated.organisations import second_factor_views, views

app_name = "organisations"
urlpatterns = [
    path("la/<int:la_id>/", views.la_overview, name="la_overview"),
    path("<str:kind>/<int:organisation_id>/people/", views.members, name="members"),
    path("<str:kind>/<int:organisation_id>/people/invite/", views.invite, name="invite"),
    path(
        "<str:kind>/<int:organisation_id>/people/<int:membership_id>/role/",
        views.change_role,
        name="change_role",
    ),
    path(
        "<str:kind>/<int:organisation_id>/people/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "<str:kind>/<int:organisation_id>/people/<int:membership_id>/second-factor/",
        second_factor_views.reset_second_factor,
        name="reset_second_factor",
    ),
    path(
        "<str:kind>/<int:organisation_id>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
]

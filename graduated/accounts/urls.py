from django.urls import path

from graduated.accounts import second_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("second-factor/", second_factor_views.verify, name="second_factor"),
    path("second-factor/set-up/", second_factor_views.setup, name="second_factor_setup"),
    path("security/", second_factor_views.security, name="security"),
    path("security/recovery-codes/", second_factor_views.new_recovery_codes, name="new_recovery_codes"),
    path("security/devices/<int:device_id>/forget/", second_factor_views.forget_device, name="forget_device"),
    path("password/", second_factor_views.change_password, name="change_password"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

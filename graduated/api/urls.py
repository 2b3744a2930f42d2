"""The signed-in person's API tokens, at /api/tokens/ (the API itself is at /api/v1/: graduated/api/api.py)."""

from django.urls import path

from graduated.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("<int:token_id>/revoke", views.revoke_token, name="revoke"),
]

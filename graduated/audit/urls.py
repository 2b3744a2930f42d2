"""The security log, mounted at /security/: the platform's whole log, and an LA's under la/<id>/."""

from django.urls import path

from graduated.audit import views

app_name = "audit"
urlpatterns = [
    path("events/", views.security_events, name="security_events"),
    path("la/<int:la_id>/events/", views.security_events, name="la_security_events"),
]

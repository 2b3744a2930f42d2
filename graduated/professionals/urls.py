"""Professionals' access, mounted at /professionals/.

``pupils/<id>/grants/...``: the setting's SENCO gives and ends grants. ``my-pupils/`` and
``pupils/<id>/``, ``.../advice/``, ``.../report/``: the professional, through a live grant.
"""

from django.urls import path

from graduated.professionals import views

app_name = "professionals"
urlpatterns = [
    path("my-pupils/", views.my_pupils, name="my_pupils"),
    path("pupils/<int:pupil_id>/", views.pupil, name="pupil"),
    path("pupils/<int:pupil_id>/advice/", views.advice, name="advice"),
    path("pupils/<int:pupil_id>/report/", views.report, name="report"),
    path("pupils/<int:pupil_id>/grants/", views.grants, name="grants"),
    path("pupils/<int:pupil_id>/grants/<int:grant_id>/revoke/", views.revoke, name="revoke"),
]

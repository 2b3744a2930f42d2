"""Funding records, mounted at /funding/: a pupil's pages under pupils/<id>/, a setting's under settings/<id>/."""

from django.urls import path

from graduated.funding import views

app_name = "funding"
APPLICATION = "pupils/<int:pupil_id>/applications/<int:application_id>/"
urlpatterns = [
    path("pupils/<int:pupil_id>/", views.pupil_funding, name="pupil"),
    path("pupils/<int:pupil_id>/applications/new/", views.new_application, name="new_application"),
    path(APPLICATION, views.application_detail, name="application"),
    path(f"{APPLICATION}edit/", views.edit_application, name="edit_application"),
    path(f"{APPLICATION}submit/", views.submit, name="submit"),
    path(f"{APPLICATION}decision/", views.decide, name="decide"),
    path(f"{APPLICATION}pdf/", views.application_pdf, name="application_pdf"),
    path("pupils/<int:pupil_id>/awards/new/", views.new_award, name="new_award"),
    path("settings/<int:setting_id>/", views.setting_overview, name="setting_overview"),
]

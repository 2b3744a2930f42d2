from django.urls import path

from graduated.family_notices import views

app_name = "family_notices"
urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("children/<int:pupil_id>/", views.timeline, name="timeline"),
]

"""The LA dashboard, mounted at /oversight/."""

from django.urls import path

from graduated.oversight import views

app_name = "oversight"
urlpatterns = [
    path("la/<int:la_id>/", views.dashboard, name="dashboard"),
    path("la/<int:la_id>/sen-dashboard.xlsx", views.dashboard_export, name="dashboard_export"),
    path("setting/<int:setting_id>/", views.setting_page, name="setting"),
    path("setting/<int:setting_id>/sen-figures.xlsx", views.setting_export, name="setting_export"),
]

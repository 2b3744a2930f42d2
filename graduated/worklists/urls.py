from django.urls import path

from graduated.worklists import views

app_name = "worklists"
urlpatterns = [
    path("settings/<int:setting_id>/caseload/", views.setting_caseload, name="caseload"),
    path("my-pupils/", views.my_pupils, name="my_pupils"),
]

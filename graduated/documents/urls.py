from django.urls import path

from graduated.documents import views

app_name = "documents"
urlpatterns = [
    path("pupils/<int:pupil_id>/documents/", views.documents, name="list"),
    path("pupils/<int:pupil_id>/documents/<int:document_id>/download/", views.download, name="download"),
    path("pupils/<int:pupil_id>/documents/<int:document_id>/remove/", views.remove, name="remove"),
]

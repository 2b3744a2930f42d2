"""A school's request for an EHC needs assessment, under /pupils/<id>/ehc-request/."""

from django.urls import path

from graduated.assessment_requests import views

app_name = "assessment_requests"
BASE = "pupils/<int:pupil_id>/ehc-request/"
REQUEST = f"{BASE}<int:request_id>/"
urlpatterns = [
    path(BASE, views.request_page, name="page"),
    path(f"{BASE}start/", views.start, name="start"),
    path(f"{REQUEST}details/", views.edit_details, name="details"),
    path(f"{REQUEST}bundle.pdf", views.bundle_pdf, name="bundle"),
    path(f"{REQUEST}bundle/again/", views.bundle_again, name="bundle_again"),
    path(f"{REQUEST}form.docx", views.form_docx, name="form_docx"),
    path(f"{REQUEST}send/", views.submit, name="submit"),
]

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Files about a pupil (reports, assessments, work samples), stored outside the web root."""

    name = "graduated.documents"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "graduated.audit"
    label = "audit"

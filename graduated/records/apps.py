from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "graduated.records"
    label = "records"
    verbose_name = "Records in and out"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "graduated.api"
    label = "api"

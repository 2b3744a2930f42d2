from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "graduated.demo"
    label = "demo"

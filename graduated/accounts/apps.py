from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "graduated.accounts"
    label = "accounts"

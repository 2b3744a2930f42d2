"""URLs of provision mapping's group pages (included by provision/urls.py, namespace "provision")."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

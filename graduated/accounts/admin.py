"""The platform's administration pages for user accounts.

People join through invitations, so accounts are not added here; platform admins may correct a
name or address, close an account (which ends its sessions at the next request) or grant
admin rights. The password hash is never shown.
"""

from django.contrib import admin
from django.http import HttpRequest

from graduated.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "full_name", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    fields = [
        "email", "full_name", "is_active", "is_staff", "is_superuser", "date_joined", "last_login",
    ]  # fmt: skip
    readonly_fields = ["date_joined", "last_login"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

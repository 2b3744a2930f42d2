from django.contrib import admin

from graduated.oversight.models import SettingArea


@admin.register(SettingArea)
class SettingAreaAdmin(admin.ModelAdmin[SettingArea]):
    """Which area (locality) of its LA each setting is in, for the SEN dashboard's filter."""

    list_display = ["setting", "area"]
    list_filter = ["setting__local_authority"]
    search_fields = ["setting__name", "area"]
    autocomplete_fields = ["setting"]

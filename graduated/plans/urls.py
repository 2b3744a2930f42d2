"""Plan types and tiers (an LA admin's), the LA's plan-quality figures, and a cycle's plan type.
Mounted at /plans/."""

from django.urls import path

from graduated.plans import views

app_name = "plans"
LA = "la/<int:la_id>/"
urlpatterns = [
    path(f"{LA}types-and-tiers/", views.choices, name="choices"),
    path(f"{LA}<str:kind>/add/", views.edit, name="add"),
    path(f"{LA}<str:kind>/<int:item_id>/", views.edit, name="change"),
    path(f"{LA}<str:kind>/<int:item_id>/remove/", views.remove, name="remove"),
    path(f"{LA}quality/", views.quality, name="quality"),
    path("pupils/<int:pupil_id>/cycles/<int:cycle_id>/plan-type/", views.cycle_plan, name="cycle_plan"),
]

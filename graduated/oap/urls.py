"""Ordinarily available provision, mounted at /oap/: an LA's pages under la/<id>/, a setting's
under settings/<id>/, and adding a strategy to a pupil's cycle under pupils/<id>/cycles/<id>/."""

from django.urls import path

from graduated.oap import views

app_name = "oap"
LA = "la/<int:la_id>/"
ITEM = f"{LA}draft/<str:kind>/"
urlpatterns = [
    path(LA, views.overview, name="overview"),
    path(f"{LA}draft/start/", views.start_draft, name="start_draft"),
    path(f"{LA}draft/", views.draft, name="draft"),
    path(f"{LA}draft/publish/", views.publish, name="publish"),
    path(f"{ITEM}new/", views.edit_item, name="add_item"),
    path(f"{ITEM}<int:item_id>/", views.edit_item, name="change_item"),
    path(f"{ITEM}<int:item_id>/remove/", views.remove_item, name="remove_item"),
    path(f"{LA}self-reviews/", views.la_self_reviews, name="la_self_reviews"),
    path(f"{LA}self-reviews.csv", views.la_self_reviews_csv, name="la_self_reviews_csv"),
    path("settings/<int:setting_id>/", views.setting_oap, name="setting"),
    path("settings/<int:setting_id>/self-review/", views.self_review, name="self_review"),
    path("pupils/<int:pupil_id>/cycles/<int:cycle_id>/strategies/add/", views.add_to_plan, name="add_to_plan"),
]

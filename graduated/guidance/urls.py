"""The LA's guidance, mounted at /guidance/: the LA's staff pages under la/<id>/, a setting's under
settings/<id>/, and the public pages (no sign-in) at <site>/, <site>/search/ and <site>/<page>/."""

from django.urls import path

from graduated.guidance import views

app_name = "guidance"
LA = "la/<int:la_id>/"
PAGE = f"{LA}pages/<int:page_id>/"
urlpatterns = [
    path(LA, views.la_pages, name="la_pages"),
    path(f"{LA}site/", views.site, name="site"),
    path(f"{LA}search/", views.la_search, name="la_search"),
    path(f"{LA}pages/new/", views.add_page, name="add_page"),
    path(PAGE, views.page, name="page"),
    path(f"{PAGE}versions/<int:number>/", views.version, name="version"),
    path(f"{PAGE}draft/start/", views.start_draft, name="start_draft"),
    path(f"{PAGE}draft/", views.draft, name="draft"),
    path(f"{PAGE}draft/publish/", views.publish, name="publish"),
    path("settings/<int:setting_id>/", views.setting_guidance, name="setting"),
    # Public: reserved site slugs ("la", "settings") and page slugs ("search") keep these apart.
    path("<slug:site>/", views.public_index, name="public_index"),
    path("<slug:site>/search/", views.public_search, name="public_search"),
    path("<slug:site>/<slug:page>/", views.public_page, name="public_page"),
]

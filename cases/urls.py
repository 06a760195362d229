from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("my-children/", views.start, name="start"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/find/", views.find_child, name="find"),
    path("children/<id:child_id>/", views.child_detail, name="child"),
    path("children/<id:child_id>/history/", views.child_history, name="child_history"),
    path("children/<id:child_id>/network/add/", views.network_add, name="network_add"),
    path(
        "children/<id:child_id>/network/<id:member_id>/",
        views.network_edit,
        name="network_edit",
    ),
    path("children/<id:child_id>/course/<slug:kind>/add/", views.course_entry, name="course_add"),
    path(
        "children/<id:child_id>/course/<slug:kind>/<id:entry_id>/",
        views.course_entry,
        name="course_edit",
    ),
    path(
        "children/<id:child_id>/<slug:kind>/<id:entry_id>/remove/",
        views.record_removal,
        name="remove",
    ),
    path("children/<id:child_id>/close/", views.case_close, name="case_close"),
]

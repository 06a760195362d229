from django.urls import path

from continuity import views

app_name = "continuity"
urlpatterns = [
    path("team/", views.team, name="team"),
    path("children/<id:child_id>/handover/new/", views.handover_start, name="handover_start"),
    path(
        "children/<id:child_id>/handovers/<id:handover_id>/",
        views.handover_detail,
        name="handover",
    ),
    path(
        "children/<id:child_id>/handovers/<id:handover_id>/complete/",
        views.handover_complete,
        name="handover_complete",
    ),
    path(
        "children/<id:child_id>/handovers/<id:handover_id>/cancel/",
        views.handover_cancel,
        name="handover_cancel",
    ),
]

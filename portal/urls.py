from django.urls import path

from portal import staff_views, views

app_name = "portal"
urlpatterns = [
    path("me/", views.home, name="home"),
    path("me/login/", views.sign_in, name="login"),
    path("me/logout/", views.sign_out, name="logout"),
    path("me/talk/", views.talk, name="talk"),
    path("me/lifebook/", views.lifebook, name="lifebook"),
    path("me/lifebook/add/", views.lifebook_add, name="lifebook_add"),
    path("me/lifebook/<id:entry_id>/mark/", views.lifebook_mark, name="lifebook_mark"),
    path("me/lifebook/<id:entry_id>/comment/", views.lifebook_comment, name="lifebook_comment"),
    path(
        "me/lifebook/photos/<id:file_id>/",
        views.lifebook_file,
        {"kind": "photo"},
        name="lifebook_photo",
    ),
    path(
        "me/lifebook/media/<id:file_id>/",
        views.lifebook_file,
        {"kind": "media"},
        name="lifebook_media",
    ),
]

# The caseworker's side: the child's code and access, and answering "I need to talk".
urlpatterns += [
    path("children/<id:child_id>/portal/", staff_views.access, name="access"),
    path(
        "children/<id:child_id>/talk/<id:talk_id>/answered/",
        staff_views.talk_answer,
        name="talk_answer",
    ),
]

from django.urls import path

from portal import staff_views, views

app_name = "portal"
urlpatterns = [
    path("me/", views.home, name="home"),
    path("me/login/", views.sign_in, name="login"),
    path("me/logout/", views.sign_out, name="logout"),
    path("me/talk/", views.talk, name="talk"),
    path("me/caseworker/photo/", views.caseworker_photo, name="caseworker_photo"),
    path("me/meeting/", views.meeting, name="meeting"),
    path("me/feedback/", views.feedback, name="feedback"),
    path("me/feedback/<id:request_id>/", views.feedback_answer, name="feedback_answer"),
    path("me/plan/", views.plan, name="plan"),
    path("me/plan/<id:subject_id>/respond/", views.respond, {"kind": "plan"}, name="respond_plan"),
    path(
        "me/decisions/<id:subject_id>/respond/",
        views.respond,
        {"kind": "decision"},
        name="respond_decision",
    ),
    path("me/looked/", views.looked, name="looked"),
    path("me/help/", views.help_page, name="help"),
    path("me/download/", views.download, name="download"),
    path("me/download/book/<id:export_id>/", views.book_status, name="book_status"),
    path("me/download/book/<id:export_id>/pdf/", views.book_download, name="book_download"),
    path("me/download/originals/", views.originals, name="originals"),
    path("me/mitid/", views.eid_start, name="eid_start"),
    path("me/mitid/stand-in/", views.eid_standin, name="eid_standin"),
    path("me/mitid/callback/", views.eid_callback, name="eid_callback"),
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

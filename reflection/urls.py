from django.urls import path

from reflection import views

app_name = "reflection"
urlpatterns = [
    path("reflection/", views.home, name="home"),
    path(
        "children/<id:child_id>/conversations/<id:conversation_id>/reflection/",
        views.reflect,
        name="reflect",
    ),
    path("reflection/shared/<id:reflection_id>/", views.shared, name="shared"),
    path("reflection/videos/new/", views.video_new, name="video_new"),
    path("reflection/videos/<id:video_id>/", views.video, name="video"),
    path("reflection/videos/<id:video_id>/stream/", views.video_stream, name="video_stream"),
    path(
        "reflection/videos/<id:video_id>/comments/<id:comment_id>/reply/",
        views.video_reply,
        name="video_reply",
    ),
    path("reflection/sessions/", views.sessions, name="sessions"),
    path("reflection/sessions/new/", views.session_new, name="session_new"),
    path("reflection/sessions/<id:session_id>/", views.session, name="session"),
    path(
        "reflection/sessions/<id:session_id>/follow-up/",
        views.session_follow_up,
        name="session_follow_up",
    ),
    path("reflection/videos/<id:video_id>/withdraw/", views.video_withdraw, name="video_withdraw"),
]

from django.urls import path

from lifebook import views

app_name = "lifebook"
urlpatterns = [
    path("children/<id:child_id>/lifebook/", views.timeline, name="timeline"),
    path("children/<id:child_id>/lifebook/add/", views.add, name="add"),
    path(
        "children/<id:child_id>/lifebook/contributors/",
        views.contributors,
        name="contributors",
    ),
    path("children/<id:child_id>/lifebook/<id:entry_id>/approve/", views.approve, name="approve"),
    path("children/<id:child_id>/lifebook/<id:entry_id>/comment/", views.comment, name="comment"),
    path("children/<id:child_id>/lifebook/photos/<id:photo_id>/", views.photo, name="photo"),
    path(
        "children/<id:child_id>/lifebook/media/<id:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
    path("children/<id:child_id>/lifebook/book/", views.book, name="book"),
    path(
        "children/<id:child_id>/lifebook/book/<id:export_id>/",
        views.book_status,
        name="book_status",
    ),
    path(
        "children/<id:child_id>/lifebook/book/<id:export_id>/download/",
        views.book_download,
        name="book_download",
    ),
]

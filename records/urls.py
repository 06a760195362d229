from django.urls import path

from records import views

app_name = "records"
urlpatterns = [
    path("children/<id:child_id>/file/", views.staff_files, name="files"),
    path("children/<id:child_id>/file/<id:file_id>/", views.staff_file, name="file"),
    path(
        "children/<id:child_id>/file/<id:file_id>/<str:kind>/",
        views.staff_download,
        name="download",
    ),
    path("me/file/", views.my_file, name="my_file"),
    path("me/file/<id:file_id>/<str:kind>/", views.my_file_download, name="my_file_download"),
]

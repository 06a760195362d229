from django.urls import path

from access import views

app_name = "access"
urlpatterns = [
    path("children/<id:child_id>/open/", views.break_glass, name="break_glass"),
    path("audit/break-glass/", views.break_glass_review, name="break_glass_review"),
    path(
        "audit/break-glass/<id:grant_id>/acknowledge/",
        views.break_glass_acknowledge,
        name="break_glass_acknowledge",
    ),
]

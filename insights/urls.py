from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.dashboard, name="dashboard"),
    path("insights/self-assessment/", views.self_assessment, name="self_assessment"),
    path("insights/self-assessment/new/", views.self_assessment_new, name="self_assessment_new"),
    path("insights/export/", views.export, name="export"),
]

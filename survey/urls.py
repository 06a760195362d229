from django.urls import path

from survey import views

app_name = "survey"
urlpatterns = [
    path("surveys/", views.survey_list, name="list"),
    path("surveys/<int:survey_id>/", views.survey_report, name="report"),
    path("surveys/<int:survey_id>/links/", views.survey_links, name="links"),
    path("s/<str:token>/", views.answer, name="answer"),
]

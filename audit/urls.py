from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("children/<id:child_id>/who-has-looked/", views.who_has_looked, name="who_has_looked"),
    path("audit/", views.audit_log, name="log"),
]

from django.urls import path, register_converter

from feedback import views


class TokenConverter:
    regex = "[A-Za-z0-9_-]{16,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

app_name = "feedback"
urlpatterns = [
    path("f/<token:token>/", views.answer, name="answer"),
    path("feedback/screen/unlock/", views.unlock, name="unlock"),
    path("feedback/teams/", views.team_numbers, name="team"),
    path("children/<id:child_id>/feedback/ask/", views.ask, name="ask"),
    path(
        "children/<id:child_id>/feedback/alerts/<id:alert_id>/",
        views.acknowledge_alert,
        name="acknowledge",
    ),
]

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("cases.urls")),
    path("", include("continuity.urls")),
    path("", include("access.urls")),
    path("", include("audit.urls")),
    path("", include("conversations.urls")),
    path("", include("feedback.urls")),
    path("", include("plans.urls")),
    path("", include("portal.urls")),
    path("", include("lifebook.urls")),
    path("", include("insights.urls")),
    path("", include("survey.urls")),
    path("", include("records.urls")),
    path("", include("api.urls")),
    path("", include("reflection.urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler500 = "core.errors.server_error"
handler400 = "core.errors.bad_request"

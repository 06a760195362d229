from django.urls import include, path

from api import views
from api.api import api

imports = [
    path("", views.import_start, name="start"),
    path("<id:batch_id>/", views.import_batch, name="batch"),
    path("<id:batch_id>/commit/", views.import_commit, name="commit"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("import/", include((imports, "imports"))),
]

from django.urls import path

from conversations import views

app_name = "conversations"
base = "children/<id:child_id>/conversations/<id:conversation_id>/"
urlpatterns = [
    path("children/<id:child_id>/conversations/new/", views.plan, name="plan"),
    path(base, views.detail, name="detail"),
    path(f"{base}prepare/", views.prepare, name="prepare"),
    path(f"{base}held/", views.mark_held, name="held"),
    path(f"{base}not-held/", views.mark_not_held, name="not_held"),
    path(f"{base}bisidder/told/", views.bisidder_told, name="bisidder_told"),
    path(f"{base}bisidder/without/", views.bisidder_excluded, name="bisidder_excluded"),
    path(f"{base}tools/<slug:tool>/", views.add_tool, name="add_tool"),
    path(f"{base}statements/", views.add_statement, name="add_statement"),
    path(f"{base}wishes/", views.add_wish, name="add_wish"),
    path(f"{base}summary/", views.save_summary, name="summary"),
    path(f"{base}<slug:part>/<id:entry_id>/remove/", views.remove, name="remove"),
    path(f"{base}invitation.ics", views.calendar_invitation, name="ics"),
    path(f"{base}drawings/<id:tool_id>/", views.drawing, name="drawing"),
]

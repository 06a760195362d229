from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("children/<id:child_id>/decisions/<id:decision_id>/", views.decision, name="decision"),
    path(
        "children/<id:child_id>/decisions/<id:decision_id>/final/",
        views.make_final,
        name="make_final",
    ),
    path(
        "children/<id:child_id>/decisions/<id:decision_id>/told/",
        views.decision_notice,
        name="decision_notice",
    ),
    path(
        "children/<id:child_id>/decisions/<id:decision_id>/correct/",
        views.decision_correct,
        name="decision_correct",
    ),
    path(
        "children/<id:child_id>/wishes/<id:wish_id>/answer/", views.answer_wish, name="answer_wish"
    ),
    path(
        "children/<id:child_id>/decisions/<id:decision_id>/pdf/",
        views.decision_pdf,
        name="decision_pdf",
    ),
    path("children/<id:child_id>/plans/new/", views.plan_new, name="plan_new"),
    path("children/<id:child_id>/plans/<id:plan_id>/", views.plan, name="plan"),
    path("children/<id:child_id>/plans/<id:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path(
        "children/<id:child_id>/plans/<id:plan_id>/<slug:part>/",
        views.plan_part,
        name="plan_part",
    ),
    path(
        "children/<id:child_id>/statements/<id:statement_id>/answer/",
        views.answer_wish,
        name="answer_statement",
    ),
    path("children/<id:child_id>/complaints/new/", views.complaint, name="complaint_new"),
    path("children/<id:child_id>/complaints/<id:complaint_id>/", views.complaint, name="complaint"),
]

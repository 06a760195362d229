"""The leaders' pages of the children's survey, and the child's answer pages (by link, with
no sign-in), which reuse the feedback tool's question page."""

from collections import namedtuple

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from feedback.models import Scale
from feedback.views import posted_answer
from survey import selectors, services
from survey.forms import LinksForm, StartForm, SurveyForm
from survey.models import QUESTIONS, Survey, SurveyResponse

SESSION_KEY = "survey_answers"  # {link digest: response id}: the child's own browser only
Question = namedtuple("Question", "pk text")


def _survey(request, survey_id) -> Survey:
    if not services.may_read(request.user):
        raise PermissionDenied
    return get_object_or_404(Survey, pk=survey_id, municipality_id=request.user.municipality_id)


@login_required
def survey_list(request):
    if not services.may_read(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if not services.may_organise(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                survey = services.survey_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("survey:report", survey.pk)
    surveys = Survey.objects.filter(municipality_id=request.user.municipality_id)[:50]
    return render(
        request,
        "survey/list.html",
        {
            "surveys": surveys,
            "form": form,
            "may_organise": services.may_organise(request.user),
            "minimum": settings.STEMME_SMALL_CELL,
        },
        status=400 if form.errors else 200,
    )


@login_required
def survey_report(request, survey_id):
    survey = _survey(request, survey_id)
    return render(
        request,
        "survey/report.html",
        {
            "survey": survey,
            "links_form": LinksForm(),
            "may_organise": services.may_organise(request.user),
            "used": survey.links.filter(used_on__isnull=False).count(),
            "made": survey.links.count(),
            **selectors.report(survey),
        },
    )


@login_required
def survey_links(request, survey_id):
    """Make single-use links and show them this once (only their digests are kept)."""
    survey = _survey(request, survey_id)
    if not services.may_organise(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("survey:report", survey.pk)
    form = LinksForm(request.POST)
    tokens = []
    if form.is_valid():
        try:
            tokens = services.survey_links_make(
                actor=request.user, survey=survey, count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    links = [request.build_absolute_uri(reverse("survey:answer", args=[t])) for t in tokens]
    return render(
        request,
        "survey/links.html",
        {"survey": survey, "links": links, "form": form},
        status=400 if form.errors else 200,
    )


def _message(request, title: str, text: str, status: int):
    return render(
        request, "feedback/child_message.html", {"title": title, "text": text}, status=status
    )


def answer(request, token):
    """The child's anonymous answers: first age group and where they live, then one question
    at a time like the feedback tool, each answer saved at once."""
    link = services.link_for_token(token)
    if link is None:
        return _message(
            request,
            _("This link does not work"),
            _("Ask the person who gave you the link for a new one."),
            404,
        )
    here = reverse("survey:answer", args=[token])
    started = request.session.get(SESSION_KEY, {})
    response_id = started.get(link.token_hash)
    if response_id is None:
        return _start(request, link, here)
    response = SurveyResponse.objects.filter(pk=response_id, survey=link.survey).first()
    if response is None:
        raise Http404
    if response.declined:
        return _message(request, _("Thank you!"), _("You are done. Thank you for your time."), 200)
    answered = set(response.answers.values_list("question", flat=True))
    error = ""
    if request.method == "POST":
        try:
            action, value = posted_answer(request.POST)
            if action == "decline":
                services.survey_decline(response=response)
                return redirect(here)
            question = request.POST.get("item", "")
            services.survey_answer(response=response, question=question, value=value)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return redirect(here)
    remaining = [(key, text) for key, text in QUESTIONS if key not in answered]
    if not remaining:
        return _message(
            request,
            _("Thank you!"),
            _("Your answers have been sent. Nobody can see who you are."),
            200,
        )
    key, text = remaining[0]
    scale = services.scale_for(response.age_group)
    return render(
        request,
        "feedback/question.html",
        {
            "item": Question(key, text),
            "number": len(answered) + 1,
            "total": len(QUESTIONS),
            "scale": scale,
            "values": range(1, 6) if scale == Scale.FACES else range(0, 11),
            "error": error,
        },
        status=400 if error else 200,
    )


def _start(request, link, here):
    if link.used_on is not None:
        return _message(
            request,
            _("This link has been used"),
            _("Each link can be used once. Ask for a new one if you did not answer."),
            410,
        )
    if not link.survey.is_open(timezone.localdate()):
        return _message(
            request, _("This survey is not open"), _("Ask the person who gave you the link."), 410
        )
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.survey_start(link=link, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[SESSION_KEY] = {
                **request.session.get(SESSION_KEY, {}),
                link.token_hash: response.pk,
            }
            return redirect(here)
    return render(request, "survey/start.html", {"form": form}, status=400 if form.errors else 200)

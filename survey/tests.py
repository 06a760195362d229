"""The children's survey: single-use links, answers not tied to anyone, and reports that show
only groups large enough."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from survey.models import QUESTIONS, SurveyAnswer, SurveyLink, SurveyResponse


def _survey_with_links(client, count):
    today = timezone.localdate()
    response = client.post(
        reverse("survey:list"),
        {
            "title": "Bliver du hørt? 2026",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    survey_url = response["Location"]
    survey_id = int(survey_url.rstrip("/").split("/")[-1])
    page = client.post(reverse("survey:links", args=[survey_id]), {"count": count})
    links = re.findall(r"<code>http://testserver(/s/[^<]+/)</code>", page.content.decode())
    return survey_id, links


def _answer(link, age="13_15", living="foster", value="8"):
    child = Client()
    child.post(link, {"age_group": age, "living": living})
    for _question in QUESTIONS:
        child.post(link, {"item": _question[0], "value": value})
    return child


def test_a_child_answers_once_and_the_answer_is_tied_to_no_one(head, client_for):
    survey_id, links = _survey_with_links(client_for(head), 3)
    assert len(links) == 3 and SurveyLink.objects.filter(survey_id=survey_id).count() == 3
    child = _answer(links[0])
    done = child.get(links[0]).content.decode()
    assert "Tak" in done
    response = SurveyResponse.objects.get()
    assert response.answers.count() == len(QUESTIONS)
    assert {f.name for f in SurveyResponse._meta.get_fields()} >= {"age_group", "living"}
    assert not any(
        f.is_relation and f.related_model is SurveyLink for f in SurveyResponse._meta.get_fields()
    )
    stranger = Client().get(links[0])
    assert stranger.status_code == 410  # the link is used; another browser cannot go on
    assert Client().get("/s/not-a-link/").status_code == 404


def test_bad_answers_get_a_clear_message_and_lose_nothing(head, client_for):
    _survey_id, [link] = _survey_with_links(client_for(head), 1)
    child = Client()
    refused = child.post(link, {"age_group": "99"})
    assert refused.status_code == 400 and not SurveyResponse.objects.exists()
    child.post(link, {"age_group": "under_10", "living": "home"})
    wrong = child.post(link, {"item": "listened", "value": "9"})  # faces go 1-5 under 10
    assert wrong.status_code == 400 and "Vælg" in wrong.content.decode()
    child.post(link, {"item": "listened", "value": "5"})
    child.post(link, {"item": "understood", "action": "skip"})
    assert list(SurveyAnswer.objects.order_by("question").values_list("question", "value")) == [
        ("listened", 5),
        ("understood", None),
    ]


def test_the_report_hides_groups_under_five_and_the_one_that_could_be_subtracted(
    head, analyst, caseworker, client_for
):
    survey_id, links = _survey_with_links(client_for(head), 12)
    report_url = reverse("survey:report", args=[survey_id])
    for link in links[:4]:
        _answer(link, age="13_15", living="foster", value="8")
    page = client_for(head).get(report_url).content.decode()
    assert "mindst 5" in page and "8,0" not in page  # four answers: nothing shown
    for link in links[4:10]:
        _answer(link, age="16_plus", living="institution", value="6")
    _answer(links[10], age="10_12", living="home", value="2")
    page = client_for(analyst).get(report_url).content.decode()
    # Overall 11 answers; 16+ has 6 and is shown; 13-15 (4) and 10-12 (1) hidden.
    assert "6,0" in page and "8,0" not in page and "2,0" not in page
    assert client_for(caseworker).get(report_url).status_code == 403
    assert client_for(analyst).post(reverse("survey:links", args=[survey_id])).status_code == 403


def test_the_survey_reports_belong_to_their_municipality(head, foreign_caseworker, client_for):
    from accounts.models import Role
    from conftest import make_user

    survey_id, _links = _survey_with_links(client_for(head), 1)
    foreign_head = make_user(
        "fremmed-chef", Role.HEAD_OF_DEPARTMENT, foreign_caseworker.municipality
    )
    response = client_for(foreign_head).get(reverse("survey:report", args=[survey_id]))
    assert response.status_code == 404

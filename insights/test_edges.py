"""A self-assessment with a comment longer than its limit is refused with the message next to
the comment, and nothing typed is lost."""

from django.urls import reverse


def test_a_long_comment_gets_its_message_and_keeps_the_answers(head, client_for):
    from insights.models import STATEMENTS, SelfAssessment

    answers = {f"agree_{key}": "2" for key in STATEMENTS}
    long_comment = "Vi taler med børnene, " * 40  # 880 characters, over the limit of 500
    response = client_for(head).post(
        reverse("insights:self_assessment_new"),
        {"carried_out_on": "2026-03-01", **answers, "comment_1a": long_comment},
    )
    assert response.status_code == 400 and not SelfAssessment.objects.exists()
    page = response.content.decode()
    assert "Denne værdi må højst have 500 tegn" in page
    assert "Vi taler med børnene," in page

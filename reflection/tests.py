"""Reflection on practice: who sees a reflection or a video (every role), the consent rule,
comments pinned to moments, the caseworker's development — and bad input that never becomes a
server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from conftest import answer_feedback, make_conversation, make_user, png_bytes
from lifebook.test_media import phone_video
from reflection import services
from reflection.access import reflections_visible_to, videos_visible_to
from reflection.models import PracticeVideo, Reflection


@pytest.fixture
def consultant(municipality):
    return make_user("konsulent", Role.CONSULTANT, municipality)


@pytest.fixture
def other_consultant(municipality):
    return make_user("konsulent2", Role.CONSULTANT, municipality)


@pytest.fixture
def conversation(child, caseworker):
    conversation, _statement, _drawing = make_conversation(child, caseworker)
    return conversation


def _reflection(caseworker, conversation, **sharing):
    return services.reflection_save(
        actor=caseworker,
        conversation=conversation,
        went_well="Emma valgte selv stedet.",
        childs_perspective="Da hun tegnede sit hus.",
        differently="Spørge mere åbent.",
        next_time="Tage tegningen med.",
        **sharing,
    )


def _video(caseworker, consultant, **extra):
    fields = {"title": "Rollespil om flytning", "kind": "role_play"} | extra
    return services.video_upload(
        actor=caseworker,
        consultant=consultant,
        upload=SimpleUploadedFile("samtale.mp4", phone_video(), content_type="video/mp4"),
        **fields,
    )


def test_a_reflection_is_its_authors_alone_until_shared(
    caseworker,
    colleague,
    team_leader,
    west_leader,
    head,
    consultant,
    other_consultant,
    conversation,
    client_for,
):
    reflection = _reflection(caseworker, conversation)
    assert list(reflections_visible_to(caseworker)) == [reflection]
    for other in (colleague, team_leader, west_leader, head, consultant, other_consultant):
        assert not reflections_visible_to(other).exists(), other
        assert client_for(other).get(f"/reflection/shared/{reflection.pk}/").status_code in (
            403,
            404,
        )
    _reflection(caseworker, conversation, shared_with_leader=True, shared_with=consultant)
    assert reflections_visible_to(team_leader).get() == reflection
    assert reflections_visible_to(consultant).get() == reflection
    for still_not in (colleague, west_leader, head, other_consultant):
        assert not reflections_visible_to(still_not).exists(), still_not
    page = client_for(consultant).get(f"/reflection/shared/{reflection.pk}/").content.decode()
    assert "Spørge mere åbent." in page
    assert "Emma" not in page.replace("Emma valgte selv stedet.", "")  # the child is not named
    assert (
        client_for(other_consultant).get(f"/reflection/shared/{reflection.pk}/").status_code == 404
    )


def test_the_childs_feedback_stands_beside_the_reflection(
    child, caseworker, conversation, client_for
):
    answer_feedback(child, caseworker, [3, 9, 8, 7, 6], conversation=conversation)
    client = client_for(caseworker)
    url = f"/children/{child.pk}/conversations/{conversation.pk}/reflection/"
    page = client.get(url).content.decode()
    assert "Barnets tilbagemelding på mødet" in page and "3,00" in page
    saved = client.post(url, {"went_well": "Vi grinede sammen.", "next_time": ""})
    assert saved.status_code == 302
    assert Reflection.objects.get().went_well == "Vi grinede sammen."
    empty = client.post(url, {"went_well": " "})
    assert empty.status_code == 400 and "mindst ét" in empty.content.decode()


def test_a_video_is_private_to_the_owner_and_the_consultant(
    caseworker,
    colleague,
    team_leader,
    head,
    consultant,
    other_consultant,
    foreign_caseworker,
    client_for,
):
    video = _video(caseworker, consultant)
    assert videos_visible_to(caseworker).get() == videos_visible_to(consultant).get() == video
    for other in (colleague, team_leader, head, other_consultant, foreign_caseworker):
        client = client_for(other)
        for url in (f"/reflection/videos/{video.pk}/", f"/reflection/videos/{video.pk}/stream/"):
            assert client.get(url).status_code == 404, (other, url)
    stream = client_for(consultant).get(f"/reflection/videos/{video.pk}/stream/")
    assert stream.status_code == 200 and stream["Content-Disposition"] == "inline"
    assert stream["Cache-Control"] == "private, no-store"
    part = client_for(consultant).get(
        f"/reflection/videos/{video.pk}/stream/", HTTP_RANGE="bytes=10-19"
    )
    assert part.status_code == 206 and len(part.content) == 10
    assert part["Content-Range"] == f"bytes 10-19/{video.size}"
    beyond = client_for(consultant).get(
        f"/reflection/videos/{video.pk}/stream/", HTTP_RANGE=f"bytes={video.size + 5}-"
    )
    assert beyond.status_code == 416
    page = client_for(caseworker).get(f"/reflection/videos/{video.pk}/").content.decode()
    assert 'controlslist="nodownload"' in page and "download=" not in page


def test_withdrawn_consent_takes_the_video_from_everyones_view_and_keeps_it(
    caseworker, consultant, client_for
):
    video = _video(caseworker, consultant)
    client = client_for(caseworker)
    withdrawn_by_other = client_for(consultant).post(
        f"/reflection/videos/{video.pk}/withdraw/", {"reason": "x"}
    )
    assert withdrawn_by_other.status_code == 403  # only the owner can take it down
    assert videos_visible_to(consultant).exists()
    taken = client.post(
        f"/reflection/videos/{video.pk}/withdraw/", {"reason": "Mor trak samtykket."}
    )
    assert taken.status_code == 302
    for user in (caseworker, consultant):
        assert client_for(user).get(f"/reflection/videos/{video.pk}/").status_code == 404
    kept = PracticeVideo.all_objects.get(pk=video.pk)
    assert kept.removed_reason == "Mor trak samtykket." and kept.file.storage.exists(kept.file.name)


def test_a_real_conversation_needs_the_consent_of_the_child_and_the_custody_holders(
    caseworker, consultant, client_for
):
    client = client_for(caseworker)
    form = {
        "title": "Samtale med en dreng",
        "kind": "real",
        "consultant": consultant.pk,
        "upload": SimpleUploadedFile("s.mp4", phone_video(), content_type="video/mp4"),
    }
    refused = client.post("/reflection/videos/new/", form)
    assert refused.status_code == 400 and "samtykke" in refused.content.decode()
    assert not PracticeVideo.all_objects.exists()
    today = timezone.localdate().isoformat()
    form["upload"] = SimpleUploadedFile("s.mp4", phone_video(), content_type="video/mp4")
    done = client.post(
        "/reflection/videos/new/",
        {
            **form,
            "child_consent_on": today,
            "custody_consent_on": today,
            "consent_note": "Skriftligt samtykke fra drengen og begge forældre.",
        },
    )
    assert done.status_code == 302
    assert PracticeVideo.objects.get().child_consent_on is not None


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("s.mp4", png_bytes(), content_type="video/mp4"), "video"),
        (SimpleUploadedFile("s.exe", b"MZ\x90\x00" * 100, content_type="video/mp4"), "ikke bruge"),
    ],
)
def test_an_upload_that_is_not_a_video_is_refused_with_a_message(
    caseworker, consultant, client_for, upload, message
):
    response = client_for(caseworker).post(
        "/reflection/videos/new/",
        {"title": "x", "kind": "role_play", "consultant": consultant.pk, "upload": upload},
    )
    assert response.status_code == 400 and message in response.content.decode().lower()
    assert not PracticeVideo.all_objects.exists()


def test_a_huge_video_is_refused(caseworker, consultant, client_for, settings):
    settings.STEMME_MAX_VIDEO_BYTES = 1000
    settings.STEMME_MAX_AUDIO_BYTES = settings.STEMME_MAX_DOCUMENT_BYTES = 1000
    response = client_for(caseworker).post(
        "/reflection/videos/new/",
        {
            "title": "x",
            "kind": "role_play",
            "consultant": consultant.pk,
            "upload": SimpleUploadedFile("s.mp4", phone_video(), content_type="video/mp4"),
        },
    )
    assert response.status_code == 400 and "for stor" in response.content.decode()


def test_comments_are_pinned_to_moments_and_answered(caseworker, consultant, client_for):
    video = _video(caseworker, consultant)
    url = f"/reflection/videos/{video.pk}/"
    commented = client_for(consultant).post(
        url, {"moment": "1:05", "text": "Her venter du fint på barnets svar."}
    )
    assert commented.status_code == 302
    comment = video.comments.get()
    assert comment.at_seconds == 65 and comment.moment == "1:05"
    reply = client_for(caseworker).post(
        f"{url}comments/{comment.pk}/reply/", {"text": "Tak, det prøver jeg igen."}
    )
    assert reply.status_code == 302
    answer = video.comments.get(reply_to=comment)
    assert answer.at_seconds == 65 and answer.author == caseworker
    page = client_for(caseworker).get(url).content.decode()
    assert "Her venter du fint" in page and "Tak, det prøver jeg igen." in page
    bad = client_for(consultant).post(url, {"moment": "om lidt", "text": "x"})
    assert bad.status_code == 400 and "minutter:sekunder" in bad.content.decode()


def test_a_consultant_of_another_municipality_cannot_be_chosen(caseworker, foreign_caseworker):
    from django.core.exceptions import ValidationError

    stranger = make_user("fremmed-konsulent", Role.CONSULTANT, foreign_caseworker.municipality)
    with pytest.raises(ValidationError):
        _video(caseworker, stranger)


def test_my_development_counts_feedback_listening_reflections_and_training(
    child, caseworker, conversation, client_for
):
    answer_feedback(child, caseworker, [8], conversation=conversation)  # felt listened to
    _reflection(caseworker, conversation)
    client = client_for(caseworker)
    added = client.post(
        "/reflection/",
        {"held_on": timezone.localdate().isoformat(), "theme": "dialogic", "title": "Dialog"},
    )
    assert added.status_code == 302
    from reflection.selectors import development

    latest = development(caseworker)[-1]
    assert (latest.held, latest.feedback_share, latest.reflections, latest.training_days) == (
        1,
        100,
        1,
        1,
    )
    assert latest.listened is not None
    assert client.get("/reflection/").status_code == 200
    future = client.post("/reflection/", {"held_on": "2099-01-01", "theme": "other", "title": "x"})
    assert future.status_code == 400


def test_the_reflection_page_costs_the_same_queries_for_few_and_many(
    caseworker, consultant, conversation, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(caseworker)
    _video(caseworker, consultant)
    with CaptureQueriesContext(connection) as few:
        client.get("/reflection/")
    for n in range(4):
        _video(caseworker, consultant, title=f"Video {n}")
    _reflection(caseworker, conversation)
    with CaptureQueriesContext(connection) as many:
        client.get("/reflection/")
    assert len(many) == len(few)


def _session(team_leader, caseworker):
    return services.session_schedule(
        actor=team_leader,
        scheduled_at=timezone.now() + timezone.timedelta(days=2),
        presenter=caseworker,
        presentation="En pige på 11 år i plejefamilie, der ikke vil til samvær.",
    )


def test_a_joint_reflection_is_for_the_team_and_told_without_names(
    caseworker,
    colleague,
    team_leader,
    west_leader,
    west_caseworker,
    head,
    consultant,
    foreign_caseworker,
    client_for,
):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.session_schedule(
            actor=head, scheduled_at=timezone.now(), presenter=caseworker, presentation="x"
        )
    with pytest.raises(ValidationError):  # a caseworker brings their own case, not a colleague's
        services.session_schedule(
            actor=caseworker, scheduled_at=timezone.now(), presenter=colleague, presentation="x"
        )
    own = services.session_schedule(
        actor=caseworker, scheduled_at=timezone.now(), presenter=caseworker, presentation="x"
    )
    assert own.facilitator == team_leader  # the team leader leads it
    with pytest.raises(ValidationError):
        services.session_schedule(
            actor=team_leader,
            scheduled_at=timezone.now(),
            presenter=caseworker,
            presentation="Drengen med CPR 170514-4001 vil ikke hjem.",
        )
    session = _session(team_leader, caseworker)
    url = f"/reflection/sessions/{session.pk}/"
    for member in (caseworker, colleague, team_leader, head):
        assert client_for(member).get(url).status_code == 200, member
    for outsider in (west_leader, west_caseworker, consultant, foreign_caseworker):
        assert client_for(outsider).get(url).status_code in (403, 404), outsider
    assert client_for(colleague).post(url, {"questions": "x"}).status_code == 403


def test_the_steps_are_recorded_and_the_next_steps_followed_up(
    caseworker, colleague, team_leader, west_caseworker, client_for
):
    session = _session(team_leader, caseworker)
    url = f"/reflection/sessions/{session.pk}/"
    steps = {
        "presentation": session.presentation,
        "questions": "Hvad siger hun selv om samvær?",
        "reflections": "Måske er det stedet, ikke personen.",
        "next_steps": "Spørge hende, hvor samvær kunne være rart.",
        "decided": "Samvær flyttes ud af kommunens lokaler.",
        "participants": [caseworker.pk, colleague.pk],
    }
    no_date = client_for(team_leader).post(url, steps)
    assert no_date.status_code == 400 and "følges op" in no_date.content.decode()
    today = timezone.localdate()
    saved = client_for(team_leader).post(url, {**steps, "follow_up_on": today.isoformat()})
    assert saved.status_code == 302
    session.refresh_from_db()
    assert set(session.participants.all()) == {caseworker, colleague}
    assert session.follow_up_is_due()
    listing = client_for(caseworker).get("/reflection/sessions/").content.decode()
    assert "Næste skridt, der skal følges op" in listing
    outsider = client_for(team_leader).post(
        url, {**steps, "participants": [west_caseworker.pk], "follow_up_on": today.isoformat()}
    )
    assert outsider.status_code == 400
    done = client_for(caseworker).post(
        f"{url}follow-up/", {"follow_up_note": "Hun valgte biblioteket. Det gik godt."}
    )
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.followed_up_at is not None and not session.follow_up_is_due()


def test_the_sessions_page_costs_the_same_queries_for_few_and_many(
    caseworker, colleague, team_leader, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(team_leader)
    first = _session(team_leader, caseworker)
    first.participants.set([caseworker])
    with CaptureQueriesContext(connection) as few:
        client.get("/reflection/sessions/")
    for _n in range(4):
        _session(team_leader, colleague).participants.set([caseworker, colleague])
    with CaptureQueriesContext(connection) as many:
        client.get("/reflection/sessions/")
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "viewer, sees",
    [
        ("caseworker", {"reflection", "video", "session"}),
        ("team_leader", {"reflection", "session"}),
        ("consultant", {"reflection", "video"}),
        ("colleague", {"session"}),
        ("head", {"session"}),
        ("west_leader", set()),
        ("other_consultant", set()),
        ("administrator", set()),
        ("analyst", set()),
        ("foster_carer", set()),
        ("foreign_caseworker", set()),
    ],
)
def test_who_sees_what_for_every_role(
    viewer, sees, request, caseworker, team_leader, consultant, conversation, client_for
):
    reflection = _reflection(
        caseworker, conversation, shared_with_leader=True, shared_with=consultant
    )
    video = _video(caseworker, consultant)
    session = _session(team_leader, caseworker)
    client = client_for(request.getfixturevalue(viewer))
    urls = {
        "reflection": f"/reflection/shared/{reflection.pk}/",
        "video": f"/reflection/videos/{video.pk}/",
        "session": f"/reflection/sessions/{session.pk}/",
    }
    for item, url in urls.items():
        status = client.get(url).status_code
        if viewer == "caseworker" and item == "reflection":
            assert status == 200  # the author reads it too
        elif item in sees:
            assert status == 200, (viewer, item)
        else:
            assert status in (403, 404), (viewer, item, status)

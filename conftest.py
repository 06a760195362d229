"""The shared cast of the test suite: named actors in two municipalities.

Staff clients are signed in *and* past the second factor, as a real session would be.
"""

import time
from datetime import date, timedelta

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Municipality, Role, Team, User
from cases import services as case_services
from cases.cpr import make_cpr
from cases.models import ContributorLink, ContributorRole, Relation

PASSWORD = "correct horse battery staple"
# Tasks run at once, in the test, on every queue the real backend has.
IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "urgent"],
    }
}


@pytest.fixture
def municipality(db):
    return Municipality.objects.create(code="265", name="Roskilde Kommune")


@pytest.fixture
def other_municipality(db):
    return Municipality.objects.create(code="101", name="Københavns Kommune")


@pytest.fixture
def team(municipality):
    return Team.objects.create(municipality=municipality, name="Team Øst")


@pytest.fixture
def other_team(municipality):
    return Team.objects.create(municipality=municipality, name="Team Vest")


def make_user(username, role, municipality, team=None, **extra):
    user = User(
        username=username,
        first_name=username.title(),
        last_name="Test",
        role=role,
        municipality=municipality,
        team=team,
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def caseworker(municipality, team):
    return make_user("rikke", Role.CASEWORKER, municipality, team)


@pytest.fixture
def colleague(municipality, team):
    """A caseworker in the same team, not assigned to the child."""
    return make_user("jonas", Role.CASEWORKER, municipality, team)


@pytest.fixture
def west_caseworker(municipality, other_team):
    """A caseworker in another team of the same municipality."""
    return make_user("mette", Role.CASEWORKER, municipality, other_team)


@pytest.fixture
def team_leader(municipality, team):
    return make_user("hanne", Role.TEAM_LEADER, municipality, team)


@pytest.fixture
def west_leader(municipality, other_team):
    return make_user("peter", Role.TEAM_LEADER, municipality, other_team)


@pytest.fixture
def head(municipality):
    return make_user("chef", Role.HEAD_OF_DEPARTMENT, municipality)


@pytest.fixture
def administrator(municipality):
    return make_user("admin", Role.ADMINISTRATOR, municipality, is_staff=True)


@pytest.fixture
def analyst(municipality):
    return make_user("analytiker", Role.ANALYST, municipality)


@pytest.fixture
def foster_carer(municipality):
    return make_user("plejefar", Role.CONTRIBUTOR, municipality)


@pytest.fixture
def unlinked_contributor(municipality):
    return make_user("fremmed", Role.CONTRIBUTOR, municipality)


@pytest.fixture
def foreign_caseworker(other_municipality):
    """A caseworker of another municipality: must see nothing, not even that a child exists."""
    return make_user("kbh", Role.CASEWORKER, other_municipality)


def make_child(municipality, caseworker, *, birth=date(2014, 5, 17), serial=1, **extra):
    return case_services.child_create(
        actor=caseworker,
        municipality=municipality,
        cpr=make_cpr(birth, serial),
        cpr_is_fictitious=True,
        first_name=extra.pop("first_name", "Emma"),
        last_name=extra.pop("last_name", "Jensen"),
        caseworker=caseworker,
        **extra,
    )


@pytest.fixture
def child(municipality, caseworker, foster_carer):
    child = make_child(municipality, caseworker, preferred_name="Emmy", languages="dansk")
    case_services.network_member_add(
        actor=caseworker,
        child=child,
        name="Anne Jensen",
        relation=Relation.PARENT,
        relation_detail="mor",
        holds_custody=True,
    )
    ContributorLink.objects.create(
        child=child, user=foster_carer, role=ContributorRole.FOSTER_CARER
    )
    return child


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    if user.needs_second_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # Just signed in, as a real sign-in leaves it: the idle timer is fresh, so the first page
    # a test measures does not also renew it (core.middleware.SlidingSessionMiddleware).
    session["_renewed"] = int(time.time())
    session.save()
    return client


@pytest.fixture
def client_for(db):
    return signed_in


def png_bytes(size=(40, 30), color=(200, 30, 30), exif: bytes | None = None) -> bytes:
    """A real small image, optionally carrying EXIF (for example a GPS position)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_conversation(child, caseworker, **extra):
    """A held conversation with a statement, a wish and a drawing."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from conversations import services

    conversation = services.conversation_plan(
        actor=caseworker,
        child=child,
        kind=extra.pop("kind", "follow_up"),
        planned_at=extra.pop("planned_at", timezone.now() - timezone.timedelta(hours=1)),
        place="Skolen",
        **extra,
    )
    services.conversation_mark_held(
        actor=caseworker, conversation=conversation, held_at=conversation.planned_at
    )
    statement = services.statement_add(
        actor=caseworker,
        conversation=conversation,
        text="Jeg vil bo hos mor.",
        visibility="everyone",
    )
    services.wish_add(actor=caseworker, conversation=conversation, text="Flere besøg hos mor")
    drawing = services.tool_record_add(
        actor=caseworker,
        conversation=conversation,
        tool="drawing",
        drawing=SimpleUploadedFile("d.png", png_bytes(), content_type="image/png"),
    )
    return conversation, statement, drawing


def answer_feedback(
    child, caseworker, values, *, instrument_key="meeting", skip=(), conversation=None
):
    """The child answers the questions (a value per question, None to skip) and is done,
    after the given conversation if any."""
    from feedback import services
    from feedback.models import Channel, Instrument

    instrument = Instrument.objects.get(key=instrument_key, municipality=None)
    request, _token = services.feedback_request_create(
        actor=caseworker,
        child=child,
        instrument=instrument,
        channel=Channel.LINK,
        conversation=conversation,
    )
    response = services.response_for(request)
    for item, value in zip(request.version.items.all(), values, strict=False):
        services.answer_item(response=response, item=item, value=value)
    alerts = services.complete(response=response)
    return response, alerts


def make_alert(child, caseworker):
    """A feedback alert: the child scored the meeting low."""
    _response, alerts = answer_feedback(child, caseworker, [0, 1, 0, 2, 1])
    return alerts[0]


def make_plan_records(child, caseworker) -> dict:
    """A draft decision, one of the child's wishes and a complaint, as URL arguments."""
    from django.utils import timezone

    from cases import services as case_services
    from conversations.models import Wish
    from plans import services as plan_services

    decision = case_services.decision_add(
        actor=caseworker, child=child, decided_on=timezone.localdate(), subject="Kontaktperson"
    )
    complaint = plan_services.complaint_record(
        actor=caseworker,
        child=child,
        received_on=timezone.localdate(),
        complainant="child",
        summary="Jeg er uenig",
    )
    wish = Wish.objects.filter(child=child).first()
    plan = plan_services.plan_create(
        actor=caseworker,
        child=child,
        next_review_on=timezone.localdate() + timezone.timedelta(days=90),
    )
    return {
        "decision_id": decision.pk,
        "wish_id": wish.pk,
        "complaint_id": complaint.pk,
        "plan_id": plan.pk,
    }


def pdf_bytes() -> bytes:
    """A small, real one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def make_lifebook_entry(child, author) -> dict:
    """A life book entry with a photo, as URL arguments."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from lifebook import services

    entry = services.entry_add(
        actor=author,
        child=child,
        title="Første skoledag",
        happened_on=timezone.localdate(),
        photo=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        attachment=SimpleUploadedFile("skolebevis.pdf", pdf_bytes()),
    )
    from django.core.files.base import ContentFile

    from lifebook.models import BookExport, BookStatus

    export = BookExport.objects.create(child=child, requested_by=author, status=BookStatus.DONE)
    export.pdf.save("book.pdf", ContentFile(b"%PDF-1.4 sample"))
    return {
        "lifebook_entry_id": entry.pk,
        "photo_id": entry.photos.get().pk,
        "attachment_id": entry.attachments.get().pk,
        "export_id": export.pk,
    }


def make_talk_request(child):
    from portal.models import TalkRequest

    return TalkRequest.objects.create(child=child, kind="talk", message="Kan vi snakke?")


def make_portal_child(child, caseworker):
    """A child with portal access and a PIN, and a client signed in as that child."""
    from django.test import Client

    from portal import services

    access, code = services.access_create(actor=caseworker, child=child)
    services.sign_in(code=code, new_pin="2468", new_pin_again="2468")
    client = Client()
    response = client.post("/me/login/", {"step": "pin", "code": code, "pin": "2468"})
    assert response.status_code == 302, response.content
    access.refresh_from_db()
    return access, code, client


def make_portal_story(child, caseworker) -> dict:
    """What a child's portal shows: a held meeting with a summary to the child, a final decision
    explained to the child with an answer to the child's wish, an adopted plan in the child's
    words with a goal, a draft decision and a draft plan (never shown), a meeting ahead, and a
    question after the last meeting."""
    from django.utils import timezone

    from cases import services as case_services
    from conversations import services as conversation_services
    from conversations.models import Statement, Wish
    from feedback import services as feedback_services
    from feedback.models import Channel, Instrument
    from plans.models import ChildPlan, PlanGoal, WishAnswer

    today = timezone.localdate()
    held, said, _drawing = make_conversation(child, caseworker)
    held.summary_to_child = "Tak for snakken. Du vil gerne se mor mere."
    held.save()
    secret = Statement.objects.create(
        conversation=held, text="Jeg er bange for far.", visibility="staff_only"
    )
    final = case_services.decision_add(
        actor=caseworker,
        child=child,
        decided_on=today - timedelta(days=3),
        subject="Samvær",
        finalised_at=timezone.now(),
        explanation_for_child="Du må besøge mor hver fredag.",
    )
    from plans.services import decision_notice_record

    decision_notice_record(
        actor=caseworker, decision=final, told_on=today - timedelta(days=2), told_how="Ved besøg"
    )
    draft = case_services.decision_add(
        actor=caseworker,
        child=child,
        decided_on=today,
        subject="Udkast",
        explanation_for_child="Et udkast, som barnet ikke skal se endnu.",
    )
    WishAnswer.objects.create(
        wish=Wish.objects.get(conversation=held),
        decision=final,
        outcome="done",
        answer_to_child="Du må besøge mor hver fredag.",
        created_by=caseworker,
    )
    WishAnswer.objects.create(
        statement=secret,
        outcome="partly",
        answer_to_child="Vi taler om det.",
        created_by=caseworker,
    )
    plan = ChildPlan.objects.create(
        child=child,
        kind="child",
        adopted_on=today - timedelta(days=10),
        next_review_on=today + timedelta(days=80),
        version_for_child="Du bor hos mor. Vi ses hver måned.",
        created_by=caseworker,
    )
    PlanGoal.objects.create(
        plan=plan,
        childs_words="Jeg vil have en ven",
        professional_goal="Trivsel",
        target_date=today + timedelta(days=60),
    )
    draft_plan = ChildPlan.objects.create(
        child=child,
        kind="child",
        next_review_on=today + timedelta(days=80),
        version_for_child="En plan, der ikke er vedtaget.",
        created_by=caseworker,
    )
    ahead = conversation_services.conversation_plan(
        actor=caseworker,
        child=child,
        kind="follow_up",
        planned_at=timezone.now() + timedelta(days=3),
        place="Biblioteket",
    )
    request, _token = feedback_services.feedback_request_create(
        actor=caseworker,
        child=child,
        instrument=Instrument.objects.get(key="meeting", municipality=None),
        channel=Channel.LINK,
        conversation=held,
    )
    return {
        "decision": final,
        "draft_decision": draft,
        "plan": plan,
        "draft_plan": draft_plan,
        "meeting": ahead,
        "feedback_request": request,
        "secret": secret,
        "said": said,
    }

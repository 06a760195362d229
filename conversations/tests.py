"""Conversations: due-rules at their boundaries, the bisidder's age, tools by age, drawings
without metadata, who sees which statement, the readability check, and the child's page."""

import io
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services as case_services
from cases.models import ContributorLink, ContributorRole, Relation
from conftest import make_child, make_conversation, make_user, png_bytes
from conversations import services
from conversations.models import Conversation, Statement, ToolRecord, Visibility
from conversations.readability import lix, lix_limit
from conversations.rules import due_conversations, supervision_rule_label
from conversations.visibility import statement_filter
from core.dates import add_months

TODAY = timezone.localdate


def _plan(child, caseworker, **extra):
    return services.conversation_plan(
        actor=caseworker,
        child=child,
        kind=extra.pop("kind", "informal"),
        planned_at=extra.pop("planned_at", timezone.now() - timedelta(hours=2)),
        place=extra.pop("place", "Skolen"),
        **extra,
    )


def _held(child, caseworker, day: date, **extra):
    when = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    conversation = _plan(
        child, caseworker, planned_at=min(when + timedelta(minutes=1), timezone.now()), **extra
    )
    return services.conversation_mark_held(
        actor=caseworker, conversation=conversation, held_at=conversation.planned_at
    )


def _due(child, kind):
    return [d for d in due_conversations([child.pk]).get(child.pk, []) if d.kind == kind]


# --- Barnets lov § 5: before every decision


def test_decision_without_conversation_is_due(child, caseworker):
    case_services.decision_add(actor=caseworker, child=child, decided_on=TODAY(), subject="Støtte")
    [due] = _due(child, "before_decision")
    assert due.reference == "Barnets lov § 5" and due.due_on == TODAY()


def test_conversation_within_the_window_before_the_decision_meets_the_rule(
    child, caseworker, settings
):
    window = settings.STEMME_DECISION_CONVERSATION_WINDOW_DAYS
    decided = TODAY()
    case_services.decision_add(actor=caseworker, child=child, decided_on=decided, subject="Støtte")
    _held(child, caseworker, decided - timedelta(days=window + 1), kind="before_decision")
    assert len(_due(child, "before_decision")) == 1  # one day too early
    _held(child, caseworker, decided - timedelta(days=window), kind="before_decision")
    assert _due(child, "before_decision") == []


def test_a_recorded_refusal_is_a_lawful_outcome(child, caseworker):
    decision = case_services.decision_add(
        actor=caseworker, child=child, decided_on=TODAY(), subject="Støtte"
    )
    conversation = _plan(child, caseworker, kind="before_decision", decision=decision)
    assert _due(child, "before_decision")[0].planned_id == conversation.pk
    with pytest.raises(ValidationError):
        services.conversation_mark_not_held(
            actor=caseworker, conversation=conversation, reason="age_or_circumstances"
        )
    services.conversation_mark_not_held(
        actor=caseworker, conversation=conversation, reason="child_refused"
    )
    assert _due(child, "before_decision") == []


# --- Barnets lov § 137: after a report of abuse


def test_abuse_report_needs_a_conversation_within_the_set_days(child, caseworker, settings):
    days = settings.STEMME_ABUSE_CONVERSATION_DAYS
    case_services.concern_report_add(
        actor=caseworker,
        child=child,
        received_on=TODAY() - timedelta(days=days),
        concerns_abuse=True,
    )
    case_services.concern_report_add(actor=caseworker, child=child, received_on=TODAY())
    [due] = _due(child, "after_concern")  # only the report about abuse
    assert due.due_on == TODAY() and not due.is_overdue
    assert due.reference == "Barnets lov § 137"
    _held(child, caseworker, TODAY(), kind="after_concern")
    assert _due(child, "after_concern") == []


def test_abuse_report_overdue_the_day_after(child, caseworker, settings):
    days = settings.STEMME_ABUSE_CONVERSATION_DAYS
    case_services.concern_report_add(
        actor=caseworker,
        child=child,
        received_on=TODAY() - timedelta(days=days + 1),
        concerns_abuse=True,
    )
    assert _due(child, "after_concern")[0].is_overdue


# --- Barnets lov § 156, stk. 5: two supervision visits a year in a placement, looking back too


def test_supervision_visit_due_six_months_after_placement(child, caseworker):
    started = add_months(TODAY(), -6)
    case_services.measure_add(actor=caseworker, child=child, kind="foster_care", started_on=started)
    [due] = _due(child, "supervision")
    assert due.due_on == TODAY() and not due.is_overdue
    assert due.reference == "Barnets lov § 156, stk. 5"


def test_supervision_visit_overdue_a_day_later_and_the_second_due_a_year_after_the_start(
    child, caseworker
):
    started = add_months(TODAY(), -6) - timedelta(days=1)
    case_services.measure_add(actor=caseworker, child=child, kind="institution", started_on=started)
    assert _due(child, "supervision")[0].is_overdue
    _held(child, caseworker, TODAY() - timedelta(days=60), kind="supervision")
    # One visit: the second of the placement's first year is due 12 months after the start.
    assert _due(child, "supervision")[0].due_on == add_months(started, 12)


def test_a_long_placement_with_one_visit_lately_is_overdue(child, caseworker):
    """400 days in a placement, one visit 20 days ago: fewer than two in the last 12 months."""
    started = TODAY() - timedelta(days=400)
    case_services.measure_add(actor=caseworker, child=child, kind="foster_care", started_on=started)
    _held(child, caseworker, TODAY() - timedelta(days=20), kind="supervision")
    [due] = _due(child, "supervision")
    assert due.is_overdue and due.due_on == add_months(started, 12)


@pytest.mark.parametrize(("days_before", "overdue"), [(0, False), (1, True)])
def test_a_year_of_placement_with_one_visit_on_either_side_of_the_boundary(
    child, caseworker, days_before, overdue
):
    started = add_months(TODAY(), -12) - timedelta(days=days_before)
    case_services.measure_add(actor=caseworker, child=child, kind="foster_care", started_on=started)
    _held(child, caseworker, TODAY() - timedelta(days=20), kind="supervision")
    assert _due(child, "supervision")[0].is_overdue is overdue


@pytest.mark.parametrize(("days_before", "overdue"), [(0, False), (1, True)])
def test_two_visits_count_while_the_older_is_within_the_last_twelve_months(
    child, caseworker, days_before, overdue
):
    case_services.measure_add(
        actor=caseworker, child=child, kind="foster_care", started_on=add_months(TODAY(), -30)
    )
    older = add_months(TODAY(), -12) - timedelta(days=days_before)
    _held(child, caseworker, older, kind="supervision")
    _held(child, caseworker, TODAY() - timedelta(days=10), kind="supervision")
    [due] = _due(child, "supervision")
    assert due.is_overdue is overdue and due.due_on == add_months(older, 12)


def test_visits_before_the_placement_started_do_not_count(child, caseworker):
    _held(child, caseworker, TODAY() - timedelta(days=100), kind="supervision")
    _held(child, caseworker, TODAY() - timedelta(days=90), kind="supervision")
    started = TODAY() - timedelta(days=30)
    case_services.measure_add(actor=caseworker, child=child, kind="foster_care", started_on=started)
    assert _due(child, "supervision")[0].due_on == add_months(started, 6)


def test_the_supervision_rule_reads_its_figures_from_the_settings(child, caseworker, settings):
    settings.STEMME_SUPERVISION_VISITS = 4
    started = add_months(TODAY(), -3)
    case_services.measure_add(actor=caseworker, child=child, kind="foster_care", started_on=started)
    [due] = _due(child, "supervision")
    assert due.due_on == TODAY() and due.rule == supervision_rule_label() and "4" in due.rule


def test_no_supervision_visits_for_support_at_home(child, caseworker):
    case_services.measure_add(
        actor=caseworker,
        child=child,
        kind="family_support",
        started_on=TODAY() - timedelta(days=400),
    )
    assert _due(child, "supervision") == []


# --- Barnets lov §§ 95-96: first follow-up within 3 months


def test_first_follow_up_due_three_months_after_support_starts(child, caseworker):
    started = add_months(TODAY(), -3)
    case_services.measure_add(
        actor=caseworker, child=child, kind="family_support", started_on=started
    )
    [due] = _due(child, "follow_up")
    assert due.due_on == TODAY() and not due.is_overdue
    _held(child, caseworker, TODAY() - timedelta(days=1), kind="follow_up")
    assert _due(child, "follow_up") == []


def test_follow_up_before_the_measure_started_does_not_count(child, caseworker):
    started = TODAY() - timedelta(days=10)
    _held(child, caseworker, started - timedelta(days=1), kind="follow_up")
    case_services.measure_add(
        actor=caseworker, child=child, kind="contact_person", started_on=started
    )
    assert len(_due(child, "follow_up")) == 1


# --- Preparation


def _bisidder(child, caseworker, born):
    return case_services.network_member_add(
        actor=caseworker,
        child=child,
        name="Sara",
        relation=Relation.SUPPORT_PERSON,
        birth_date=born,
    )


def test_bisidder_under_fifteen_is_refused_with_a_clear_message(child, caseworker):
    meeting = timezone.now() + timedelta(days=3)
    day = timezone.localtime(meeting).date()
    too_young = _bisidder(
        child, caseworker, date(day.year - 15, day.month, day.day) + timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        _plan(child, caseworker, planned_at=meeting, bisidder=too_young)
    assert "15" in str(error.value)
    fifteen = _bisidder(child, caseworker, date(day.year - 15, day.month, day.day))
    assert _plan(child, caseworker, planned_at=meeting, bisidder=fifteen).bisidder == fifteen


def test_bisidder_without_birth_date_is_refused(child, caseworker):
    unknown = _bisidder(child, caseworker, None)
    with pytest.raises(ValidationError):
        _plan(child, caseworker, bisidder=unknown)


def test_assessment_conversation_asks_for_a_second_caseworker(child, caseworker, colleague):
    with pytest.raises(ValidationError) as error:
        _plan(child, caseworker, kind="assessment")
    assert "§ 21" in str(error.value)
    assert _plan(child, caseworker, kind="assessment", second_caseworker=colleague)
    assert _plan(child, caseworker, kind="assessment", no_second_caseworker_reason="Akut møde")


def test_planning_through_the_page_keeps_everything_on_bad_input(child, caseworker, client_for):
    client = client_for(caseworker)
    data = {
        "kind": "informal",
        "planned_at": "3026-01-01T10:00",
        "place": "Legepladsen",
        "place_chosen_by_child": "on",
        "frame_why": "Vi skal tale om, hvordan du har det.",
    }
    response = client.post(reverse("conversations:plan", args=[child.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["planned_at"]
    assert "Vi skal tale om" in response.content.decode()
    data["planned_at"] = f"{TODAY() + timedelta(days=2)}T10:00"
    response = client.post(reverse("conversations:plan", args=[child.pk]), data)
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("conversations:detail", args=[child.pk, conversation.pk])
    assert conversation.place_chosen_by_child and conversation.status == "planned"


def test_calendar_invitation_names_no_child(child, caseworker, client_for):
    conversation = _plan(child, caseworker, planned_at=timezone.now() + timedelta(days=1))
    response = client_for(caseworker).get(
        reverse("conversations:ics", args=[child.pk, conversation.pk])
    )
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Skolen" in body
    assert "Emma" not in body and "Jensen" not in body


# --- Holding: tools by age, drawings


def test_tools_fit_the_childs_age(municipality, caseworker):
    toddler = make_child(
        municipality, caseworker, birth=TODAY() - timedelta(days=4 * 365), serial=40
    )
    schoolchild = make_child(
        municipality, caseworker, birth=TODAY() - timedelta(days=8 * 365), serial=41
    )
    small = _plan(toddler, caseworker)
    with pytest.raises(ValidationError):
        services.tool_record_add(
            actor=caseworker, conversation=small, tool="three_houses", good_things="x"
        )
    assert services.tool_record_add(
        actor=caseworker,
        conversation=small,
        tool="observation",
        setting="Børnehaven",
        did="Byggede",
    )
    big = _plan(schoolchild, caseworker)
    with pytest.raises(ValidationError):
        services.tool_record_add(actor=caseworker, conversation=big, tool="observation", did="x")
    assert services.tool_record_add(
        actor=caseworker,
        conversation=big,
        tool="scale",
        scale_question="Hvordan har du det?",
        scale_value=7,
    )


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 38.0, 0.0), 3: "E", 4: (12.0, 5.0, 0.0)}  # GPS
    exif[0x010F] = "PhoneMaker"
    return png_bytes(exif=exif.tobytes())


def test_drawing_is_stored_without_any_metadata(child, caseworker, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    conversation = _plan(child, caseworker)
    upload = SimpleUploadedFile("tegning.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(_jpeg_with_gps())).getexif()  # the original carries GPS
    client = client_for(caseworker)
    response = client.post(
        reverse("conversations:add_tool", args=[child.pk, conversation.pk, "drawing"]),
        {"drawing-drawing": upload},
    )
    assert response.status_code == 302
    record = ToolRecord.objects.get()
    with record.drawing.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert not image.getexif() and "exif" not in image.info
    served = client.get(
        reverse("conversations:drawing", args=[child.pk, conversation.pk, record.pk])
    )
    assert served.status_code == 200 and served["Cache-Control"] == "private, no-store"
    from audit.models import AccessEvent

    assert AccessEvent.objects.filter(action="download", record=f"drawing:{record.pk}").exists()


def test_a_file_that_is_not_an_image_is_refused_clearly(
    child, caseworker, client_for, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    conversation = _plan(child, caseworker)
    fake = SimpleUploadedFile(
        "tegning.png", b"%PDF-1.4 not really a picture", content_type="image/png"
    )
    response = client_for(caseworker).post(
        reverse("conversations:add_tool", args=[child.pk, conversation.pk, "drawing"]),
        {"drawing-drawing": fake},
    )
    assert response.status_code == 200
    assert "billede" in response.content.decode()
    assert not ToolRecord.objects.exists()


# --- Documenting: the child's words and who may see them


def test_who_sees_which_statement(child, caseworker, municipality):
    conversation = _plan(child, caseworker)
    for visibility in Visibility.values:
        services.statement_add(
            actor=caseworker,
            conversation=conversation,
            text=f"said {visibility}",
            visibility=visibility,
        )
    parent = make_user("mor", "contributor", municipality)
    ContributorLink.objects.create(child=child, user=parent, role=ContributorRole.PARENT)
    carer = child.contributor_links.get(role=ContributorRole.FOSTER_CARER).user

    def seen(user):
        return set(
            Statement.objects.filter(statement_filter(user, child)).values_list(
                "visibility", flat=True
            )
        )

    assert seen(caseworker) == set(Visibility.values)
    assert seen(parent) == {Visibility.EVERYONE}
    assert seen(carer) == {Visibility.EVERYONE, Visibility.NOT_PARENTS}


def test_empty_statement_gets_a_message_and_the_draft_stays(child, caseworker, client_for):
    conversation = _plan(child, caseworker)
    client = client_for(caseworker)
    client.post(
        reverse("conversations:add_wish", args=[child.pk, conversation.pk]),
        {"wish-text": "At bo hos mor"},
    )
    response = client.post(
        reverse("conversations:add_statement", args=[child.pk, conversation.pk]),
        {"statement-text": "   ", "statement-visibility": "staff_only"},
    )
    assert response.status_code == 200 and response.context["statement_form"].errors
    conversation.refresh_from_db()
    assert conversation.status == "planned" and conversation.wishes.get().text == "At bo hos mor"


def test_held_conversation_records_the_childs_age(child, caseworker):
    conversation = _held(child, caseworker, TODAY())
    assert conversation.child_age_when_held == child.age()
    with pytest.raises(ValidationError):
        services.conversation_mark_held(
            actor=caseworker, conversation=conversation, held_at=timezone.now() + timedelta(days=2)
        )


# --- The summary to the child


def test_lix_of_easy_and_hard_text():
    assert lix("Vi så en kat. Den var sød. Du gav den mad.") < 15
    hard = (
        "Kommunalbestyrelsens myndighedsudøvelse forudsætter dokumentationsmæssig "
        "sagsbehandlingsgrundlag vedrørende foranstaltningernes hensigtsmæssighed."
    )
    assert lix(hard) > 60
    assert lix("") == 0


@pytest.mark.parametrize(
    ("age", "limit"), [(5, 25), (9, 25), (10, 30), (12, 30), (13, 35), (17, 35)]
)
def test_lix_limit_per_age_band(age, limit):
    assert lix_limit(age) == limit


def test_too_hard_summary_warns_before_saving(child, caseworker, client_for):
    conversation = _held(child, caseworker, TODAY())
    client = client_for(caseworker)
    url = reverse("conversations:summary", args=[child.pk, conversation.pk])
    hard = "Kommunalbestyrelsens myndighedsudøvelse forudsætter dokumentationsmæssige vurderinger."
    response = client.post(url, {"summary-summary_to_child": hard})
    assert response.status_code == 200 and "LIX" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.summary_to_child == ""
    assert (
        client.post(
            url, {"summary-summary_to_child": hard, "summary-accept_hard_text": "on"}
        ).status_code
        == 302
    )
    easy = "Vi talte om din skole. Du vil gerne se din mor mere. Det skriver jeg ned."
    assert client.post(url, {"summary-summary_to_child": easy}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.summary_to_child == easy and conversation.summary_lix == lix(easy)


# --- The child's page


def test_child_page_shows_conversations_and_what_is_due(child, caseworker, client_for):
    case_services.concern_report_add(
        actor=caseworker, child=child, received_on=TODAY(), concerns_abuse=True
    )
    make_conversation(child, caseworker)
    response = client_for(caseworker).get(reverse("cases:child", args=[child.pk]))
    assert len(response.context["conversations"]) == 1
    assert [d.kind for d in response.context["conversations_due"]] == ["after_concern"]
    assert "§ 137" in response.content.decode()


def test_child_page_query_count_is_the_same_with_200_conversations(
    child, caseworker, client_for, django_assert_max_num_queries
):
    client = client_for(caseworker)
    url = reverse("cases:child", args=[child.pk])
    make_conversation(child, caseworker)
    with django_assert_max_num_queries(52) as few:
        client.get(url)
    now = timezone.now()
    Conversation.objects.bulk_create(
        Conversation(
            child=child,
            kind="informal",
            planned_at=now - timedelta(days=i),
            place="Hjemme",
            created_by=caseworker,
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["conversation_count"] == 201


def test_start_page_lists_conversations_due(child, caseworker, client_for):
    case_services.measure_add(
        actor=caseworker, child=child, kind="foster_care", started_on=add_months(TODAY(), -7)
    )
    due = client_for(caseworker).get(reverse("cases:start")).context["conversations_due"]
    assert {d.kind for d in due} == {"supervision", "follow_up"}
    assert all(d.child_name == "Emmy Jensen" for d in due)


# --- Barnets lov § 6: told of the right to a bisidder (stk. 1); held without one (stk. 2-3)


class _Forms(HTMLParser):
    """The forms of a page as a browser sees them: action -> {field: value}, and the options of
    each select."""

    def __init__(self):
        super().__init__()
        self.forms, self.options, self._action, self._select = {}, {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._action = a.get("action")
            self.forms[self._action] = {}
        elif self._action and tag in ("input", "textarea") and a.get("name"):
            self.forms[self._action][a["name"]] = a.get("value", "")
        elif self._action and tag == "select":
            self._select = a["name"]
            self.forms[self._action][self._select] = ""
            self.options[self._select] = []
        elif self._select and tag == "option":
            self.options[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None
        elif tag == "select":
            self._select = None


def _page_form(client, child, conversation, name):
    page = client.get(reverse("conversations:detail", args=[child.pk, conversation.pk]))
    parser = _Forms()
    parser.feed(page.content.decode())
    action = reverse(f"conversations:{name}", args=[child.pk, conversation.pk])
    return action, dict(parser.forms[action]), parser.options


def test_the_child_told_of_the_right_to_a_bisidder_is_recorded_through_the_page(
    child, caseworker, client_for
):
    client = client_for(caseworker)
    conversation = _plan(child, caseworker)
    page = client.get(reverse("conversations:detail", args=[child.pk, conversation.pk]))
    assert "Barnets lov § 6, stk. 1" in page.content.decode()  # the missing notice
    action, data, _options = _page_form(client, child, conversation, "bisidder_told")
    data.update(
        {"bisidder_told-told_on": str(TODAY() + timedelta(days=1)), "bisidder_told-how": "Brev"}
    )
    refused = client.post(action, data)
    assert refused.status_code == 200 and "fremtiden" in refused.content.decode()
    data["bisidder_told-told_on"] = str(TODAY())
    assert client.post(action, data).status_code == 302
    conversation.refresh_from_db()
    assert conversation.bisidder_right_told_on == TODAY()
    assert conversation.bisidder_right_told_how == "Brev"
    assert conversation.history.first().history_user == caseworker
    html = client.get(reverse("conversations:detail", args=[child.pk, conversation.pk]))
    assert "Det er ikke noteret" not in html.content.decode()


def test_a_conversation_without_the_bisidder_needs_its_ground_and_reason(
    child, caseworker, client_for
):
    client = client_for(caseworker)
    sara = _bisidder(child, caseworker, date(2000, 1, 1))
    conversation = _plan(child, caseworker)
    action, data, options = _page_form(client, child, conversation, "bisidder_excluded")
    assert set(options["bisidder_excluded-ground"]) == {
        "weighty_interests",
        "other_interests",
        "unreserved_view",
    }
    # Part of the conversation without the bisidder only to hear the child's unreserved view.
    data.update(
        {
            "bisidder_excluded-ground": "weighty_interests",
            "bisidder_excluded-extent": "part",
            "bisidder_excluded-part": "",
            "bisidder_excluded-reason": "",
            "bisidder_excluded-decided_on": str(TODAY()),
        }
    )
    response = client.post(action, data)
    errors = response.context["bisidder_excluded_form"].errors
    assert response.status_code == 200 and {"extent", "reason"} <= set(errors)
    # A ground about the chosen bisidder needs the bisidder named first.
    data.update(
        {
            "bisidder_excluded-ground": "unreserved_view",
            "bisidder_excluded-reason": "Barnet skal kunne tale frit om hjemmet.",
        }
    )
    response = client.post(action, data)
    assert set(response.context["bisidder_excluded_form"].errors) == {"ground", "part"}
    services.conversation_prepare(actor=caseworker, conversation=conversation, bisidder=sara)
    data["bisidder_excluded-part"] = "Den sidste halve time"
    assert client.post(action, data).status_code == 302
    conversation.refresh_from_db()
    assert (
        conversation.bisidder_exclusion_ground,
        conversation.bisidder_exclusion_extent,
        conversation.bisidder_exclusion_part,
        conversation.bisidder_exclusion_decided_by,
        conversation.bisidder_exclusion_decided_on,
    ) == ("unreserved_view", "part", "Den sidste halve time", caseworker, TODAY())
    html = client.get(
        reverse("conversations:detail", args=[child.pk, conversation.pk])
    ).content.decode()
    assert "Den sidste halve time" in html and "§ 6, stk. 3" in html


def test_the_right_to_a_bisidder_can_be_set_aside_for_the_whole_conversation_only(
    child, caseworker
):
    conversation = _plan(child, caseworker)
    with pytest.raises(ValidationError) as error:
        services.conversation_bisidder_excluded(
            actor=caseworker,
            conversation=conversation,
            ground="weighty_interests",
            extent="part",
            part="Starten",
            reason="Hensyn til en anden part.",
            decided_on=TODAY(),
        )
    assert "extent" in error.value.error_dict
    services.conversation_bisidder_excluded(
        actor=caseworker,
        conversation=conversation,
        ground="weighty_interests",
        extent="whole",
        part="Starten",
        reason="Hensyn til en anden part.",
        decided_on=TODAY(),
    )
    conversation.refresh_from_db()
    assert conversation.bisidder_exclusion_extent == "whole"
    assert conversation.bisidder_exclusion_part == ""

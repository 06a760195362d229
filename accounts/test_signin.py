"""Every way in, tried as an attacker would: `next` never leads off the site, in any step of any
sign-in; a failed sign-in never writes what was typed unless it names an account; and sign-in is
throttled per client address as well as per account."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import AccessAction, AccessEvent
from conftest import PASSWORD, make_user

# How an attacker writes `next` into a link (raw query text, as typed into the address bar).
EVIL_NEXTS = [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example%2F",
    "%252F%252Fevil.example",
    "/%09/evil.example",
    "/login/code/%3Fnext%3Dhttps://evil.example/",
    "/login/code/%3Fnext%3D//evil.example",
    "/login/code/%3Fnext%3D%252F%252Fevil.example",
    "/me/login/%3Fnext%3Dhttps://evil.example/",
]


class _Forms(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        fields = self.forms[-1]["fields"] if self.forms else {}
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif tag in ("input", "textarea") and self.forms and attrs.get("name"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select" and self.forms:
            self.select = attrs.get("name")
        elif tag == "option" and self.select and (self.select not in fields or "selected" in attrs):
            fields[self.select] = attrs.get("value") or ""  # the first option, or the chosen one

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def page_form(response, *typed: str) -> dict:
    """The fields of the page's POST form that has the fields `typed` (hidden ones included),
    as a browser would submit it; the header's language form is passed over."""
    parser = _Forms()
    parser.feed(response.content.decode())
    for form in parser.forms:
        if form["action"] in (None, "") and all(name in form["fields"] for name in typed):
            return dict(form["fields"])
    raise AssertionError(f"no form with {typed} on the page")


def submit(client, url: str, response, **typed):
    """Fill in the form the page at `url` offers and submit it where the browser would (these
    forms have no action: back to the page's own address, query string included)."""
    return client.post(url, {**page_form(response, *typed), **typed})


def assert_on_site(location: str) -> None:
    """A Location a browser resolves to this site (tabs and newlines are dropped and a
    backslash is a slash to a browser)."""
    seen = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    parts = urlsplit(seen)
    assert parts.scheme in ("", "http") and parts.netloc in ("", "testserver"), location
    assert seen.startswith("/") and not seen.startswith("//"), location


def follow_on_site(client, response, limit: int = 10):
    """Follow redirects, each of them on this site; the last response and its address."""
    url = None
    for _hop in range(limit):
        if response.status_code not in (301, 302, 303):
            return response, url
        url = response["Location"]
        assert_on_site(url)
        response = client.get(url)
    raise AssertionError("too many redirects")


def _token(device: TOTPDevice) -> str:
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, last_t=-1
    )
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def device(caseworker):
    return TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_no_next_leads_off_the_site_through_password_and_code(caseworker, device, evil):
    client = Client()
    url = f"{reverse('accounts:login')}?next={evil}"
    signed = submit(client, url, client.get(url), username=caseworker.username, password=PASSWORD)
    page, page_url = follow_on_site(client, signed)
    assert page_url.startswith(reverse("accounts:otp_verify"))  # the second step
    done = submit(client, page_url, page, token=_token(device))
    final, _url = follow_on_site(client, done)
    assert final.status_code == 200


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_no_next_leads_off_the_site_from_the_code_step_itself(caseworker, device, evil):
    client = Client()
    client.post(reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD})
    url = f"{reverse('accounts:otp_verify')}?next={evil}"
    done = submit(client, url, client.get(url), token=_token(device))
    assert done.status_code == 302
    assert_on_site(done["Location"])


@pytest.mark.parametrize("evil", EVIL_NEXTS[:4] + EVIL_NEXTS[-4:])
def test_no_next_leads_off_the_site_when_setting_up_the_code(caseworker, evil):
    client = Client()
    client.post(reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD})
    url = f"{reverse('accounts:otp_setup')}?next={evil}"
    page = client.get(url)
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    done = submit(client, url, page, token=_token(device))
    assert done.status_code == 302
    assert_on_site(done["Location"])


def test_next_on_this_site_is_kept_through_both_steps(caseworker, device, child):
    """The protection does not throw away a good `next`: after password and code the staff
    member is where the link pointed."""
    client = Client()
    child_page = reverse("cases:child", args=[child.pk])
    url = f"{reverse('accounts:login')}?next={child_page}"
    signed = submit(client, url, client.get(url), username=caseworker.username, password=PASSWORD)
    page, page_url = follow_on_site(client, signed)
    done = submit(client, page_url, page, token=_token(device))
    assert done["Location"] == child_page


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_no_next_leads_off_the_site_through_the_portal_code_and_pin(child, caseworker, evil):
    from conftest import make_portal_child

    _access, code, _signed_in = make_portal_child(child, caseworker)
    client = Client()
    url = f"{reverse('portal:login')}?next={evil}"
    step = submit(client, url, client.get(url), code=code)
    assert step.status_code == 200 and page_form(step, "pin")
    done = submit(client, url, step, pin="2468")
    assert done.status_code == 302
    assert_on_site(done["Location"])
    final, _url = follow_on_site(client, done)
    assert final.status_code == 200


def test_the_portal_goes_back_to_the_page_asked_for(child, caseworker):
    from conftest import make_portal_child

    _access, code, _signed_in = make_portal_child(child, caseworker)
    client = Client()
    asked = client.get(reverse("portal:plan"))
    page_url = asked["Location"]
    step = submit(client, page_url, client.get(page_url), code=code)
    done = submit(client, page_url, step, pin="2468")
    assert done["Location"] == reverse("portal:plan")


@pytest.mark.parametrize("evil", EVIL_NEXTS)
def test_no_next_leads_off_the_site_through_mitid(municipality, caseworker, settings, evil):
    from datetime import date

    from cases.models import Child
    from conftest import make_child, make_portal_child

    settings.STEMME_MITID_BROKER = "standin"
    today = date.today()
    teen = make_child(municipality, caseworker, birth=today.replace(year=today.year - 15))
    make_portal_child(teen, caseworker)
    client = Client()
    started = client.get(f"{reverse('portal:eid_start')}?next={evil}")
    broker_url = started["Location"]
    assert_on_site(broker_url)
    broker_page = client.get(broker_url)
    answered = submit(client, broker_url, broker_page, cpr=Child.objects.get(pk=teen.pk).cpr)
    back = client.get(answered["Location"])
    assert back.status_code == 302
    assert_on_site(back["Location"])
    final, _url = follow_on_site(client, back)
    assert final.status_code == 200 and "Hej" in final.content.decode()


def test_municipal_sign_in_never_stores_a_next_off_the_site(settings, client, db):
    settings.STEMME_OIDC_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    for evil in EVIL_NEXTS[:4]:
        client.get(f"{reverse('oidc_authentication_init')}?next={evil}")
        assert client.session.get("oidc_login_next") in (None, "")


# --- 8. What a failed sign-in writes -------------------------------------------------------


def test_a_failed_sign_in_logs_the_username_only_when_it_names_an_account(caseworker):
    client = Client()
    page = client.get(reverse("accounts:login"))
    # A password typed into the username field, then a wrong password for a real account.
    submit(client, reverse("accounts:login"), page, username="Tr0ub4dor&3-secret", password="x")
    submit(client, reverse("accounts:login"), page, username=caseworker.username, password="x")
    records = list(
        AccessEvent.objects.filter(action=AccessAction.SIGN_IN_FAILED)
        .order_by("sequence")
        .values_list("record", flat=True)
    )
    assert records == ["username:unknown user", f"username:{caseworker.username}"]
    assert not AccessEvent.objects.filter(record__contains="Tr0ub4dor").exists()
    # django-axes, which counts the failures, does not keep the typed text either.
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username__contains="Tr0ub4dor").exists()
    assert AccessAttempt.objects.filter(username=caseworker.username).exists()


def test_unknown_usernames_are_counted_apart(db, settings):
    """Unknown names are not one shared bucket: if they were, locking it would tell an attacker
    which names exist (a locked page for unknown ones, a plain refusal for real ones)."""
    client = Client(REMOTE_ADDR="198.51.100.1")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": f"nobody{attempt}", "password": "x"})
    again = client.post(reverse("accounts:login"), {"username": "nobody-else", "password": "x"})
    assert again.status_code == 200


# --- 9. Throttling per client address as well as per account -------------------------------


def _staff(municipality, team, count: int):
    return [
        make_user(f"person{number}", Role.CASEWORKER, municipality, team) for number in range(count)
    ]


def _guess(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": "guess"})


def test_spraying_a_few_guesses_at_every_known_username_is_stopped(municipality, team, settings):
    settings.STEMME_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    people = _staff(municipality, team, 5)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    # Two guesses per account: far below the account's own limit of five.
    answers = [_guess(attacker, person.username).status_code for person in people for _ in (1, 2)]
    assert answers[:8] == [200] * 8 and set(answers[8:]) == {429}
    # Even the right password is refused from that address now ...
    refused = attacker.post(
        reverse("accounts:login"), {"username": people[0].username, "password": PASSWORD}
    )
    assert refused.status_code == 429
    # ... while everyone else signs in as usual, and no account was locked.
    for person in people:
        office = Client(REMOTE_ADDR="192.0.2.20")
        signed = office.post(
            reverse("accounts:login"), {"username": person.username, "password": PASSWORD}
        )
        assert signed.status_code == 302, person.username


def test_one_address_cannot_lock_out_everyone_whose_name_it_knows(municipality, team, settings):
    settings.STEMME_LOGIN_ADDRESS_FAILURE_LIMIT = 10
    people = _staff(municipality, team, 6)
    attacker = Client(REMOTE_ADDR="203.0.113.10")
    for person in people:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            _guess(attacker, person.username)
    # The first two accounts were locked before the address was; the others were not, and the
    # attempts the locked address goes on sending do not count against them.
    for person in people[:2]:
        office = Client(REMOTE_ADDR="192.0.2.21")
        assert (
            office.post(
                reverse("accounts:login"), {"username": person.username, "password": PASSWORD}
            ).status_code
            == 429
        )
    for person in people[2:]:
        office = Client(REMOTE_ADDR="192.0.2.21")
        signed = office.post(
            reverse("accounts:login"), {"username": person.username, "password": PASSWORD}
        )
        assert signed.status_code == 302, person.username


def test_the_account_lock_holds_whatever_address_the_guesses_come_from(caseworker, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        _guess(Client(REMOTE_ADDR=f"203.0.113.{number + 20}"), caseworker.username)
    signed = Client(REMOTE_ADDR="192.0.2.22").post(
        reverse("accounts:login"), {"username": caseworker.username, "password": PASSWORD}
    )
    assert signed.status_code == 429


def test_x_forwarded_for_is_not_trusted_unless_a_proxy_is_configured(municipality, team, settings):
    settings.STEMME_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    people = _staff(municipality, team, 5)
    attacker = Client(REMOTE_ADDR="203.0.113.11")
    answers = [
        attacker.post(
            reverse("accounts:login"),
            {"username": person.username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{number}",  # a new made-up address every time
        ).status_code
        for number, person in enumerate(people)
    ]
    assert answers == [200, 200, 200, 200, 429]


def test_behind_a_reverse_proxy_the_address_it_saw_counts(municipality, team, settings):
    """With STEMME_PROXY_COUNT=1 the proxy's own entry (the right-most) is the client: what the
    client wrote further left is ignored, and everyone behind the proxy is not one address."""
    settings.STEMME_PROXY_COUNT = 1
    settings.STEMME_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    people = _staff(municipality, team, 5)
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    answers = [
        proxy.post(
            reverse("accounts:login"),
            {"username": person.username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{number}, 203.0.113.12",
        ).status_code
        for number, person in enumerate(people)
    ]
    assert answers == [200, 200, 200, 200, 429]
    colleague = proxy.post(
        reverse("accounts:login"),
        {"username": people[0].username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.23",
    )
    assert colleague.status_code == 302

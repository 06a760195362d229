"""Municipal sign-in, round trip: a real OpenID Connect provider (django-oauth-toolkit, the
`testidp` project) runs in its own process; a staff member signs in there in the browser and
lands in Stemme with the role the provider's groups map to. Nothing is mocked: the code is
exchanged, the ID token's RS256 signature checked against the provider's keys, and the user
info fetched over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accounts.models import Municipality, Role, Team, User
from audit.models import AccessEvent
from e2e.conftest import assert_accessible

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID, SECRET = "stemme-roskilde", "idp-test-secret-0123456789"
USERS = [
    {
        "username": "lene",
        "password": "idp-password-lene",
        "first_name": "Lene",
        "last_name": "Holm",
        "email": "lene@roskilde.invalid",
        "groups": ["SG-Stemme-Raadgiver", "SG-Team-Oest"],
    },
    {"username": "bo", "password": "idp-password-bo", "groups": ["SG-Alle-Ansatte"]},
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The identity provider, migrated, seeded with Stemme as its client, and serving."""
    folder = tmp_path_factory.mktemp("idp")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "testidp.settings",
        "TESTIDP_FOLDER": str(folder),
    }
    env.pop("DATABASE_URL", None)
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            *django,
            "idp_seed",
            f"--client-id={CLIENT_ID}",
            f"--secret={SECRET}",
            f"--redirect-uri={live_server.url}/oidc/callback/",
            f"--users={json.dumps(USERS)}",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    server = subprocess.Popen(
        [*django, "runserver", f"localhost:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("localhost", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("The identity provider did not start.")
    yield f"http://localhost:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def signs_in_through(provider, settings, transactional_db):
    settings.STEMME_OIDC_ENABLED = True
    settings.STEMME_OIDC_MUNICIPALITY = "265"
    settings.STEMME_OIDC_ROLE_GROUPS = ["SG-Stemme-Raadgiver=caseworker", "SG-Ledere=team_leader"]
    settings.STEMME_OIDC_TEAM_GROUPS = ["SG-Team-Oest=Team Øst"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/o/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/o/.well-known/jwks.json"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.oidc.MunicipalOIDCBackend",
    ]
    municipality = Municipality.objects.create(code="265", name="Roskilde Kommune")
    Team.objects.create(municipality=municipality, name="Team Øst")
    return provider


def _sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Log ind med kommunens login").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


@pytest.mark.browser
def test_staff_sign_in_through_the_municipality(page, live_server, signs_in_through):
    page.goto(f"{live_server.url}/login/")
    assert_accessible(page)
    _sign_in(page, live_server, "lene", "idp-password-lene")
    page.wait_for_url(f"{live_server.url}/my-children/")
    assert page.get_by_role("heading", level=1).count() == 1
    lene = User.objects.get(username="lene")
    assert lene.role == Role.CASEWORKER and lene.team.name == "Team Øst"
    assert lene.municipality.code == "265" and lene.email == "lene@roskilde.invalid"
    assert not lene.has_usable_password()  # the provider is the only way in
    assert AccessEvent.objects.filter(user=lene, action="sign_in", record="oidc").exists()
    assert_accessible(page)


@pytest.mark.browser
def test_someone_without_a_mapped_group_is_refused(page, live_server, signs_in_through):
    _sign_in(page, live_server, "bo", "idp-password-bo")
    page.wait_for_url(f"{live_server.url}/login/")
    assert "kommunens login lod dig ikke komme ind" in page.content().lower()
    assert not User.objects.filter(username="bo").exists()
    assert AccessEvent.objects.filter(action="sign_in_failed", record="oidc").exists()


def test_the_sign_in_is_not_there_unless_configured(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "kommunens login" not in client.get("/login/").content.decode().lower()


@pytest.mark.browser
@pytest.mark.parametrize(
    "evil",
    ["https://evil.example/", "/login/code/%3Fnext%3Dhttps://evil.example/", "//evil.example"],
)
def test_municipal_sign_in_never_leads_off_the_site(page, live_server, signs_in_through, evil):
    """A link to the sign-in with a `next` off the site (also one hidden in the code step's own
    `next`) ends on Stemme after the municipality's sign-in, never on the other site."""
    page.goto(f"{live_server.url}/login/?next={evil}")
    page.get_by_role("link", name="Log ind med kommunens login").click()
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Brugernavn").fill("lene")
    page.get_by_label("Adgangskode").fill("idp-password-lene")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    page.wait_for_url(f"{live_server.url}/**")
    assert page.url.startswith(live_server.url) and "evil.example" not in page.url.split("?")[0]

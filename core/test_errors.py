"""A database that is down or does not answer gets the 503 page within seconds, and a form
without its security token gets Stemme's own page in Danish: never a crash, never Django's
technical page."""

import socket
import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client


@contextmanager
def database_settings(**changes):
    """Point the default connection elsewhere for one request, then back."""
    saved = {key: connection.settings_dict.get(key) for key in changes}
    saved_options = dict(connection.settings_dict.get("OPTIONS", {}))
    connection.close()
    connection.settings_dict.update(changes)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Stemme er ikke tilgængelig lige nu" in body
    assert "Traceback" not in body and "DEBUG" not in body


@pytest.mark.django_db(transaction=True)
def test_a_database_that_is_down_gives_the_friendly_503_page():
    client = Client(raise_request_exception=False)
    if connection.vendor == "postgresql":
        down = {"HOST": "127.0.0.1", "PORT": str(_free_port())}
    else:
        down = {"NAME": "/nonexistent-folder/stemme.sqlite3"}
    with database_settings(**down):
        _assert_unavailable_page(client.post("/login/", {"username": "a", "password": "b"}))
    # Back as soon as the database is: the same sign-in is answered, not the 503 page.
    assert client.post("/login/", {"username": "a", "password": "b"}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_database_server_that_never_answers_costs_seconds_not_minutes():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite is a file: there is no server to hang")
    # A socket that accepts the TCP connection (the kernel's backlog) and never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    options = dict(connection.settings_dict.get("OPTIONS", {}), connect_timeout=2)
    try:
        with database_settings(
            HOST="127.0.0.1", PORT=str(silent.getsockname()[1]), OPTIONS=options
        ):
            started = time.monotonic()
            response = Client(raise_request_exception=False).post(
                "/login/", {"username": "a", "password": "b"}
            )
            waited = time.monotonic() - started
    finally:
        silent.close()
    _assert_unavailable_page(response)
    assert waited < 20, f"the request waited {waited:.0f} s for a silent database"


def test_production_settings_give_postgresql_short_connect_and_statement_timeouts():
    from django.conf import settings

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert options["timeout"] >= 5  # a busy timeout instead of "database is locked"
    else:
        assert 0 < options["connect_timeout"] <= 10
        assert "statement_timeout=" in options["options"]


@pytest.mark.django_db
def test_a_form_without_its_security_token_gets_stemmes_page_in_danish():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "rikke", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formularen var udløbet" in body
    assert "blev ikke gemt" in body
    assert "DEBUG" not in body and "CSRF verification failed" not in body


def test_a_session_that_ended_mid_request_is_not_told_nothing_was_saved(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.exceptions import SessionInterrupted

    from core.errors import bad_request

    request = rf.post("/")
    request.user = AnonymousUser()
    ended = bad_request(request, SessionInterrupted()).content.decode()
    assert "Intet blev gemt" not in ended and "om det, du sendte, blev gemt" in ended
    too_large = bad_request(request, None).content.decode()
    assert "Intet blev gemt" in too_large

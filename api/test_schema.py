"""Schemathesis against the API's own OpenAPI document: generated requests to every operation,
valid and not, with a real token, on the real database. None may answer with a server error,
and every successful answer must match the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api import services
from conftest import make_child
from stemme.wsgi import application

EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The app is called as plain WSGI, whose request signals would close the database
    connection (and with it the test's transaction); Django's own test client holds them off
    the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, administrator, caseworker, wsgi_keeps_the_test_connection):
    child = make_child(caseworker.municipality, caseworker)
    child.external_id = "0"  # a short id the generator is likely to hit
    child.save()
    _client, token = services.api_client_create(actor=administrator, name="Sagssystemet")
    return token


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_is_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

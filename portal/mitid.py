"""Signing in to the portal with the national eID (MitID, issued from 13) through the
municipality's identity broker, behind the setting STEMME_MITID_BROKER.

A broker has two steps: `start` sends the young person to the broker with a one-time state, and
`finish` checks the state and returns the CPR number the broker vouches for. What happens with
that number is the same for every broker (`portal.services.sign_in_with_eid`): an open portal
access made by the caseworker is required, so revoking it closes MitID sign-in too.

The broker's OpenID Connect client arrives with municipal sign-in for staff. Until then the only
broker is the local stand-in, which exercises the whole code path on a machine that cannot reach
MitID, and which Django's system check refuses outside development."""

import secrets

from django.conf import settings
from django.core import checks, signing
from django.urls import reverse

STATE_KEY = "portal_eid_state"
STANDIN_SALT = "portal.mitid.standin"
STANDIN_MAX_AGE = 120  # seconds from the stand-in's answer to the callback


class BrokerRefused(Exception):
    """The broker's answer cannot be trusted (wrong state, too old, altered)."""


class StandInBroker:
    """A page on this server that plays the identity broker: the tester types a CPR number and
    is sent back with it signed, as the real broker would send back a signed ID token."""

    def start(self, request) -> str:
        state = secrets.token_urlsafe(16)
        request.session[STATE_KEY] = state
        return f"{reverse('portal:eid_standin')}?state={state}"

    @staticmethod
    def answer_url(state: str, cpr: str) -> str:
        code = signing.dumps({"cpr": cpr, "state": state}, salt=STANDIN_SALT)
        return f"{reverse('portal:eid_callback')}?state={state}&code={code}"

    def finish(self, request) -> str:
        state = request.session.pop(STATE_KEY, None)
        if not state or request.GET.get("state") != state:
            raise BrokerRefused("state")
        try:
            claims = signing.loads(
                request.GET.get("code", ""), salt=STANDIN_SALT, max_age=STANDIN_MAX_AGE
            )
        except signing.BadSignature:
            raise BrokerRefused("signature") from None
        if claims.get("state") != state:
            raise BrokerRefused("state")
        return str(claims.get("cpr", ""))


BROKERS = {"standin": StandInBroker}


def broker():
    """The configured broker, or None when the national eID is not offered."""
    kind = settings.STEMME_MITID_BROKER
    return BROKERS[kind]() if kind in BROKERS else None


@checks.register(checks.Tags.security)
def check_broker(app_configs, **kwargs):
    kind = settings.STEMME_MITID_BROKER
    if kind and kind not in BROKERS:
        return [
            checks.Error(f"STEMME_MITID_BROKER={kind!r} is not a known broker.", id="portal.E001")
        ]
    if kind == "standin" and not settings.DEBUG:
        return [
            checks.Error(
                "The MitID stand-in lets anyone sign in as any child: use it only with "
                "STEMME_DEBUG on.",
                id="portal.E002",
            )
        ]
    return []

"""The PIN is hashed (Argon2, most of a second on purpose) outside the transaction that takes
the database's write lock, so on SQLite other children's requests do not wait behind it."""

import pytest
from django.db import connection

from portal import services


@pytest.mark.django_db(transaction=True)
def test_pins_are_hashed_and_checked_outside_the_write_transaction(child, caseworker, monkeypatch):
    access, code = services.access_create(actor=caseworker, child=child)
    seen = []
    real_make, real_check = services.make_password, services.check_password

    def make(*args, **kwargs):
        seen.append(("make", connection.in_atomic_block))
        return real_make(*args, **kwargs)

    def check(*args, **kwargs):
        seen.append(("check", connection.in_atomic_block))
        return real_check(*args, **kwargs)

    monkeypatch.setattr(services, "make_password", make)
    monkeypatch.setattr(services, "check_password", check)
    services.sign_in(code=code, new_pin="2468", new_pin_again="2468")
    services.sign_in(code=code, pin="2468")
    with pytest.raises(services.SignInRefused):
        services.sign_in(code=code, pin="1357")
    assert seen == [("make", False), ("check", False), ("check", False)]
    access.refresh_from_db()
    assert access.failed_pins == 1 and access.last_sign_in_at is not None

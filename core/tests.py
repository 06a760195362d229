"""Cross-cutting rules: Danish first with English available, security headers, templates
without inline scripts or styles, and calendar-month deadlines."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.dates import add_months, age_on

LOCALE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES"


def test_every_danish_string_is_translated_and_none_fuzzy():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(LOCALE / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_compiled_translations_match_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"


def test_danish_by_default_and_english_on_request(db):
    danish = Client().get(reverse("accounts:login")).content.decode()
    assert "Log ind i Stemme" in danish and 'lang="da"' in danish
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    english = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in to Stemme" in english and 'lang="en"' in english


def test_danish_even_when_the_browser_asks_for_english(db):
    page = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Log ind i Stemme" in page.content.decode()


def test_security_headers(db):
    response = Client().get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


TEMPLATES = [
    p for p in Path(settings.BASE_DIR).glob("**/templates/**/*.html") if ".venv" not in p.parts
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_scripts_styles_or_handlers(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"<style", html), "inline <style>"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_no_assets_from_the_internet():
    for template in TEMPLATES:
        assert not re.search(r'(src|href)="(https?:)?//', template.read_text()), template


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 10, 15), 4, date(2027, 2, 15)),
        (date(2026, 12, 1), 3, date(2027, 3, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_month(start, months, expected):
    assert add_months(start, months) == expected


def test_age_on_birthday_boundaries():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "k7#Qw9!zR2$mV5^xT8&bN1*cL4(pH6)jD3_fG0+sY-aE=uI~oZ",
        "STEMME_AUDIT_KEY": "Vb2#nQ8!tY5$wE1^rU7&iO4*pA9(sD6)fG3_hJ0+kL-zX=cV~bN",
        "STEMME_AUDIT_ANCHORS": str(tmp_path / "anchors"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "stemme.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_plain_http_is_redirected_to_https_in_production(tmp_path):
    from stemme import settings as production

    assert production.SECURE_SSL_REDIRECT is True or os.environ.get("STEMME_SSL_REDIRECT")
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY and production.SECURE_HSTS_SECONDS >= 31536000


def test_oversized_request_gets_a_clear_refusal(caseworker, client_for, settings):
    client = client_for(caseworker)
    client.raise_request_exception = False
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.post(reverse("cases:child_create"), {"first_name": big})
    assert response.status_code == 400
    assert "for stor" in response.content.decode()


def test_malformed_ids_are_not_found_not_errors(caseworker, client_for):
    client = client_for(caseworker)
    for url in ["/children/abc/", "/children/99999999999999999999999/", "/children/-1/"]:
        assert client.get(url).status_code == 404, url


def test_csrf_is_required(caseworker):
    from django.test import Client as CsrfClient

    client = CsrfClient(enforce_csrf_checks=True)
    client.force_login(caseworker)
    assert client.post(reverse("accounts:logout")).status_code == 403


def test_the_app_runs_without_the_development_tools():
    """`make run` installs only requirements.lock: no app module may need a test-only package."""
    dev_only = [
        "pytest",
        "pytest_django",
        "hypothesis",
        "pypdf",
        "playwright",
        "axe_playwright_python",
    ]
    script = (
        "import sys, pkgutil, importlib\n"
        f"for name in {dev_only!r}: sys.modules[name] = None\n"
        "import django; django.setup()\n"
        "from django.apps import apps\n"
        "skip = ('tests', 'test_', 'migrations', 'conftest')\n"
        "for app in apps.get_app_configs():\n"
        "    if not app.path.startswith(sys.argv[1]) or 'site-packages' in app.path: continue\n"
        "    for info in pkgutil.walk_packages([app.path], app.name + '.'):\n"
        "        if not any(part.startswith(skip) for part in info.name.split('.')):\n"
        "            importlib.import_module(info.name)\n"
        "print('ok')\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "x" * 50,
        "DJANGO_SETTINGS_MODULE": "stemme.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script, str(settings.BASE_DIR)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]


def test_media_go_to_a_private_s3_bucket_when_one_is_configured(tmp_path):
    """S3-compatible storage is a setting; it cannot be reached from here, so this checks the
    wiring: the storage class, a private bucket, and no unsigned public addresses."""
    env = {
        "PATH": os.environ["PATH"],
        "STEMME_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 's3.sqlite3'}",
        "STEMME_S3_BUCKET": "stemme-media",
        "STEMME_S3_ENDPOINT_URL": "https://objects.example.dk",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    }
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.default_acl, s.file_overwrite)\n"
        "print(s.url('lifebook/x.jpg'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "stemme.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    described, url = result.stdout.splitlines()
    assert described == "S3Storage stemme-media private False"
    assert url.startswith("https://objects.example.dk/stemme-media/") and "Signature" in url


def test_a_nul_in_a_search_or_a_form_gets_a_clear_page_in_danish(caseworker, client_for):
    client = client_for(caseworker)
    for answer in (
        client.get("/children/find/", {"q": "Em\x00ma"}),
        client.post("/children/new/", {"first_name": "Ida\x00"}),
    ):
        assert answer.status_code == 400
        assert "ikke kan gemmes (NUL)" in answer.content.decode()
    assert client.get("/children/find/", {"q": "Emma"}).status_code == 200

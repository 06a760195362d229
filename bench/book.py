"""The life book at size: 300 entries with 150 photos. `prepare` builds it once, `render`
times the PDF in a fresh process and reports that process's peak memory, `timeline` measures
the timeline page. Run by bench/run.py with DATABASE_URL and STEMME_MEDIA_ROOT set."""

import io
import json
import random
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.models import Municipality, Role, User  # noqa: E402
from cases.cpr import make_cpr  # noqa: E402
from cases.services import child_create  # noqa: E402
from lifebook.book import render_book  # noqa: E402
from lifebook.models import BookExport, Entry  # noqa: E402
from lifebook.services import entry_add  # noqa: E402


def prepare() -> dict:
    call_command("migrate", "--noinput", verbosity=0)
    caseworker = User.objects.filter(username="book-bench").first()
    if caseworker is None:
        municipality = Municipality.objects.create(code="999", name="Bogkommune")
        caseworker = User.objects.create(
            username="book-bench", role=Role.CASEWORKER, municipality=municipality
        )
        child = child_create(
            actor=caseworker,
            municipality=municipality,
            cpr=make_cpr(timezone.localdate() - timedelta(days=12 * 365), 1),
            cpr_is_fictitious=True,
            first_name="Bog",
            last_name="Barn",
            caseworker=caseworker,
        )
        rng = random.Random(7)
        for i in range(300):
            photo = None
            if i % 2 == 0:
                image = Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3)))
                buffer = io.BytesIO()
                image.save(buffer, format="JPEG", quality=90)
                photo = SimpleUploadedFile("foto.jpg", buffer.getvalue())
            entry_add(
                actor=caseworker,
                child=child,
                title=f"Fortælling {i + 1}",
                happened_on=timezone.localdate() - timedelta(days=3 * (300 - i)),
                text="Vi var sammen hele dagen, og det var en god dag. " * 3,
                photo=photo,
            )
    child = caseworker.assignments.get().child
    return {"child": child.pk, "entries": Entry.objects.filter(child=child).count()}


def render(child_id: int) -> dict:
    caseworker = User.objects.get(username="book-bench")
    export = BookExport.objects.create(child_id=child_id, requested_by=caseworker)
    started = time.perf_counter()
    render_book(export)
    return {
        "seconds": time.perf_counter() - started,
        "pages": export.pages,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def timeline(child_id: int, requests: int = 100) -> dict:
    client = Client()
    client.force_login(User.objects.get(username="book-bench"))
    url = reverse("lifebook:timeline", args=[child_id])
    for _ in range(5):
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"median_ms": statistics.median(timings), "queries": len(queries.captured_queries)}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "prepare":
        print(json.dumps(prepare()))
    elif mode == "render":
        print(json.dumps(render(int(sys.argv[2]))))
    else:
        print(json.dumps(timeline(int(sys.argv[2]))))

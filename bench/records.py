"""Records at size. `prepare` builds a child with ten years of records and 500 photos;
`person_file` makes that child's whole file (PDF and package) in a fresh process and reports
its time and the process's peak memory; `transfer` moves 1,000 generated children to another
municipality, bundle by bundle, and reports time, sizes and peak memory.
Run by bench/run.py with DATABASE_URL and STEMME_MEDIA_ROOT set."""

import io
import json
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.models import Municipality, Role, User  # noqa: E402
from cases.cpr import make_cpr  # noqa: E402
from cases.models import Child, Decision  # noqa: E402
from cases.services import child_create, current_case  # noqa: E402
from conversations.models import Conversation, Statement, Wish  # noqa: E402
from lifebook.services import entry_add  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare() -> dict:
    call_command("migrate", "--noinput", verbosity=0)
    caseworker = User.objects.filter(username="records-bench").first()
    if caseworker is None:
        municipality = Municipality.objects.create(code="998", name="Arkivkommune")
        caseworker = User.objects.create(
            username="records-bench", role=Role.CASEWORKER, municipality=municipality
        )
        today = timezone.localdate()
        child = child_create(
            actor=caseworker,
            municipality=municipality,
            cpr=make_cpr(today - timedelta(days=17 * 365), 1),
            cpr_is_fictitious=True,
            first_name="Arkiv",
            last_name="Barn",
            caseworker=caseworker,
        )
        rng = random.Random(10)
        case = current_case(child)
        for month in range(120):  # ten years: a conversation a month, a decision a quarter
            day = today - timedelta(days=30 * (120 - month))
            held = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10))
            conversation = Conversation.objects.create(
                child=child,
                kind="follow_up",
                status="held",
                planned_at=held,
                held_at=held,
                place="Skolen",
                summary_to_child="Tak for i dag. Vi ses igen om en måned.",
                created_by=caseworker,
            )
            Statement.objects.create(conversation=conversation, text="Det går godt i skolen.")
            Wish.objects.create(child=child, conversation=conversation, text="At blive boende")
            if month % 3 == 0:
                Decision.objects.create(
                    case=case,
                    decided_on=day,
                    subject="Fortsat anbringelse",
                    finalised_at=held,
                    childs_view="Vil gerne blive.",
                    how_weighed="Fulgt.",
                )
        for i in range(500):
            image = Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3)))
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=90)
            entry_add(
                actor=caseworker,
                child=child,
                title=f"Fortælling {i + 1}",
                happened_on=today - timedelta(days=7 * (500 - i)),
                text="Vi var sammen hele dagen, og det var en god dag.",
                photo=SimpleUploadedFile("foto.jpg", buffer.getvalue()),
            )
    child = caseworker.assignments.get().child
    return {"child": child.pk}


def person_file(child_id: int) -> dict:
    from records.models import PersonFile
    from records.person_file import render

    made = PersonFile.objects.create(
        child_id=child_id, requested_by=User.objects.get(username="records-bench")
    )
    started = time.perf_counter()
    render(made)
    return {
        "seconds": time.perf_counter() - started,
        "pages": made.pages,
        "package_mb": made.package.size / 1024 / 1024,
        "peak_mb": peak_mb(),
    }


def transfer(children: int) -> dict:
    from records import services

    if not Municipality.objects.filter(code="900").exists():
        call_command("generate", children=children, seed=2, stdout=io.StringIO())
    target, _new = Municipality.objects.get_or_create(code="997", defaults={"name": "Modtager"})
    receiver, _new = User.objects.get_or_create(
        username="records-receiver",
        defaults={"role": Role.CASEWORKER, "municipality": target},
    )
    sender = User.objects.filter(municipality__code="900", role=Role.CASEWORKER).first()
    moving = list(Child.objects.filter(municipality__code="900").order_by("pk")[:children])
    exported = imported = 0.0
    size = 0
    with tempfile.TemporaryDirectory() as folder:
        for child in moving:
            path = Path(folder) / f"{child.pk}.zip"
            started = time.perf_counter()
            with open(path, "wb") as out:
                services.transfer_export(actor=sender, child=child, to_code="997", out=out)
            exported += time.perf_counter() - started
            size += path.stat().st_size
            started = time.perf_counter()
            services.transfer_import(path=path, caseworker=receiver)
            imported += time.perf_counter() - started
    return {
        "children": len(moving),
        "export_seconds": exported,
        "import_seconds": imported,
        "bundles_mb": size / 1024 / 1024,
        "peak_mb": peak_mb(),
    }


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "prepare":
        print(json.dumps(prepare()))
    elif mode == "person_file":
        print(json.dumps(person_file(int(sys.argv[2]))))
    else:
        print(json.dumps(transfer(int(sys.argv[2]))))

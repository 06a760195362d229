"""The render time of a 10-page plan as PDF (WeasyPrint), median of several renders."""

import io
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemme.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from core.pdf import render_pdf  # noqa: E402

GOAL = (
    "Jeg vil gerne gå til fodbold to gange om ugen og have en ven at følges med. "
    "Det faglige mål er en stabil fritidsaktivitet og et netværk af jævnaldrende."
)


class Obj(dict):
    __getattr__ = dict.get


def main(goals: int = 60, renders: int = 5) -> None:
    child = Obj(full_name="Emma Jensen", birth_date=date(2014, 5, 17))
    plan = Obj(
        get_kind_display="Barnets plan",
        is_adopted=True,
        adopted_on=date(2026, 11, 1),
        next_review_on=date(2027, 2, 1),
        version_for_child="Du bor hos mor. " * 40,
        family_support="Forældrene får rådgivning hver anden uge. " * 20,
        child_agrees=True,
    )
    rows = [
        Obj(
            childs_words=GOAL,
            professional_goal=GOAL,
            target_date=date(2027, 1, 1) + timedelta(days=i),
        )
        for i in range(goals)
    ]
    context = {
        "child": child,
        "municipality": Obj(name="Roskilde Kommune"),
        "plan": plan,
        "goals": rows,
        "measure_views": [],
    }
    timings, pages = [], 0
    for _ in range(renders):
        started = time.perf_counter()
        pdf = render_pdf("plans/pdf_plan.html", context)
        timings.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"plan PDF: {pages} pages, median {statistics.median(timings):.2f} s over {renders} renders"
    )


if __name__ == "__main__":
    main()

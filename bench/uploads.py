"""Cleaning uploads at the largest sizes Stemme takes: a 100 MB phone video (remuxed by ffmpeg)
and a 20 MB Word document with 30 photos (every photo re-encoded), each beside a file a tenth of
its size, so it shows that memory does not grow with the file. `prepare` makes the files once
(core.samples, with place and author set); `clean FILE` cleans one in a fresh process and reports
its time and the peak memory of the process (and its level before cleaning) and of ffmpeg
(measured on a second run of the same remux). Run by bench/run.py."""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402

from core import samples  # noqa: E402
from core.uploads import ACCEPTED, clean_file, remux_command  # noqa: E402

FOLDER = Path(__file__).resolve().parent / "results" / "uploads"
# (name, what, how to make it); the sizes stay just under Stemme's limits.
FILES = [
    ("video-100mb.mp4", lambda out: samples.media("mp4", 39, "1280x720", "20M", out=out)),
    ("video-10mb.mp4", lambda out: samples.media("mp4", 3, "1280x720", "20M", out=out)),
    ("word-30-photos.docx", lambda out: out.write_bytes(samples.word_document(30, 980, 735, True))),
    ("word-3-photos.docx", lambda out: out.write_bytes(samples.word_document(3, 950, 712, True))),
]


def prepare() -> dict:
    FOLDER.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, make in FILES:
        path = FOLDER / name
        if not path.exists():
            make(path)
        sizes[name] = path.stat().st_size
    assert sizes["video-100mb.mp4"] <= settings.STEMME_MAX_VIDEO_BYTES, sizes
    assert sizes["word-30-photos.docx"] <= settings.STEMME_MAX_DOCUMENT_BYTES, sizes
    return sizes


def clean(name: str) -> dict:
    path = FOLDER / name
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    with path.open("rb") as handle:
        cleaned = clean_file(File(handle, name))
        size = cleaned.size
        cleaned.close()
    return {
        "name": name,
        "mb": path.stat().st_size / 1_000_000,
        "clean_mb": size / 1_000_000,
        "seconds": time.perf_counter() - started,
        "baseline_mb": baseline,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ffmpeg_peak_mb": ffmpeg_peak_mb(path) if name.endswith(".mp4") else 0,
    }


def ffmpeg_peak_mb(path: Path) -> float:
    """The same remux again, watching ffmpeg's own high-water mark of memory (VmHWM): the
    rusage of a child counts the Python it was forked from."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as target:
        command = remux_command(str(path), target.name, ACCEPTED["video/mp4"])
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        peak = 0
        while process.poll() is None:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                peak = max(peak, int(status.split("VmHWM:")[1].split()[0]))
            except (OSError, IndexError, ValueError):
                pass
            time.sleep(0.005)
    return peak / 1024


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare()))
    else:
        print(json.dumps(clean(sys.argv[2])))

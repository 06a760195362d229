"""The child's portal start page (/me/) under load: 50 children signed in at once, each asking
for the page again and again through gunicorn over HTTP, as phones would. Reports the median and
95th percentile response time and the throughput. Run by bench/run.py with DATABASE_URL set (or
alone: python bench/portal_load.py --children 50 --requests 20)."""

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from accounts.models import Role, User  # noqa: E402
from cases.models import Child  # noqa: E402
from portal import services  # noqa: E402

PIN = "2468"


def portal_children(count: int) -> list[str]:
    """Codes for `count` children that have a caseworker, each with a fresh portal access."""
    actor = User.objects.filter(role=Role.CASEWORKER).order_by("pk").first()
    children = Child.objects.filter(assignments__ended_at__isnull=True).distinct().order_by("pk")
    codes = []
    for child in children[:count]:
        access, code = services.access_create(actor=actor, child=child)
        services.sign_in(code=code, new_pin=PIN, new_pin_again=PIN)
        codes.append(code)
    return codes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign_in(base: str, code: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/me/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "step": "pin", "code": code, "pin": PIN}
    ).encode()
    request = urllib.request.Request(f"{base}/me/login/", data=data, headers={"Referer": base})  # noqa: S310 (our own server)
    landed = opener.open(request)
    assert landed.geturl().endswith("/me/"), landed.geturl()
    return opener


def one_child(base: str, opener, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = opener.open(f"{base}/me/")
        body = response.read()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status == 200 and b"portal-card" in body
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    codes = portal_children(options.children)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "STEMME_SECURE_COOKIES": "false",
        "STEMME_SSL_REDIRECT": "false",
        "STEMME_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "stemme.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/me/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        with ThreadPoolExecutor(max_workers=len(codes)) as pool:
            openers = list(pool.map(lambda code: sign_in(base, code), codes))
            start = time.perf_counter()
            runs = list(pool.map(lambda opener: one_child(base, opener, options.requests), openers))
            elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    timings = sorted(t for run in runs for t in run)
    print(
        json.dumps(
            {
                "children": len(codes),
                "requests": len(timings),
                "median_ms": statistics.median(timings),
                "p95_ms": timings[int(len(timings) * 0.95) - 1],
                "per_second": len(timings) / elapsed,
                "workers": options.workers,
            }
        )
    )


if __name__ == "__main__":
    main()

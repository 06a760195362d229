"""Benchmark: generate 100,000 children and measure the caseworker's start page and the child's
page on SQLite and PostgreSQL (median and 95th percentile time, number of queries).

Usage: make bench   (or: python bench/run.py --children 100000 --databases sqlite,postgres)
The generated databases are kept between runs (bench/bench.sqlite3 and the PostgreSQL database
stemme_bench); pass --fresh to build them again.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}",
    "postgres": f"{PG_SERVER}/stemme_bench",
}
AUDIT_DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'bench' / 'audit.sqlite3'}",
    "postgres": f"{PG_SERVER}/stemme_audit_bench",
}


def env_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        # Production requires a chain key of its own and a place for anchors (audit/checks.py).
        "STEMME_AUDIT_KEY": "bench-only-audit-key-9876543210-zyxwvutsrqponmlkjihgfedcba",
        "STEMME_AUDIT_ANCHORS": str(ROOT / "bench" / "results" / "anchors"),
        "STEMME_REQUIRE_2FA": "false",
        "STEMME_SSL_REDIRECT": "false",
        "STEMME_ALLOWED_HOSTS": "testserver",
        "STEMME_STATIC_ROOT": str(ROOT / "bench" / "results" / "static"),
        "DJANGO_SETTINGS_MODULE": "stemme.settings",
        # Generating millions of rows runs statements longer than a web request may.
        "STEMME_DB_STATEMENT_TIMEOUT_MS": os.environ.get("STEMME_DB_STATEMENT_TIMEOUT_MS", "0"),
    }


def manage(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True)


def reset_postgres(name: str = "stemme_bench") -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")


def postgres_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def audit_verify_figures(name: str, entries: int, fresh: bool) -> dict:
    """Fill a separate database with `entries` chained log entries, then time audit_verify in
    its own process and read that process's peak memory."""
    url = AUDIT_DATABASES[name]
    if name == "postgres" and (fresh or not postgres_exists("stemme_audit_bench")):
        reset_postgres("stemme_audit_bench")
    if name == "sqlite" and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ROOT / 'bench' / 'audit.sqlite3'}{suffix}").unlink(missing_ok=True)
    manage(url, "migrate", "--noinput", "-v0")
    filled = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit_fill.py"), "--entries", str(entries)],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    )
    if int(filled.stdout.strip()) != entries:
        sys.exit(f"{name}: the audit bench database holds another log; run with --fresh")
    verified = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "verify_peak.py")],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(verified.stdout.strip().splitlines()[-1])
    seconds = figures["seconds"]
    return {
        "entries": entries,
        "seconds": seconds,
        "per_second": entries / seconds,
        "peak_mb": figures["peak_mb"],
    }


def prepare(name: str, url: str, children: int, fresh: bool) -> None:
    if name == "sqlite" and fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ROOT / 'bench' / 'bench.sqlite3'}{suffix}").unlink(missing_ok=True)
    if name == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'stemme_bench'"
            ).fetchone()
        if fresh or not exists:
            reset_postgres()
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "collectstatic", "--noinput", "-v0")
    probe = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), "--count-children"],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    )
    if int(probe.stdout.strip() or 0) < children:
        if int(probe.stdout.strip() or 0) > 0:
            sys.exit(f"{name}: the bench database holds another data set; run with --fresh")
        print(f"[{name}] generating {children} children …", flush=True)
        manage(
            url, "generate", "--children", str(children), "--municipalities", "10", "--seed", "1"
        )


def _stepper(script: str, database: str, media: str):
    """Run `script`'s steps, each in a fresh process (so its peak memory is its own), on its
    own SQLite database and media folder; each step's last line of output is JSON."""
    url = f"sqlite:///{ROOT / 'bench' / database}"
    env = {**env_for(url), "STEMME_MEDIA_ROOT": str(ROOT / "bench" / "results" / media)}

    def step(*args):
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script), *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    return step


def life_book_figures() -> str:
    """A life book of 300 entries with 150 photos: the PDF (time, peak memory of its own
    process) and the timeline page (median time, queries)."""
    step = _stepper("book.py", "book.sqlite3", "media")
    child = step("prepare")
    pdf = step("render", str(child["child"]))
    page = step("timeline", str(child["child"]))
    return (
        f"life book of {child['entries']} entries, 150 photos: PDF {pdf['pages']} pages in "
        f"{pdf['seconds']:.1f} s, peak {pdf['peak_mb']:.0f} MB; timeline page median "
        f"{page['median_ms']:.1f} ms, {page['queries']} queries"
    )


def records_figures() -> str:
    """The person's file for a child with ten years of records and 500 photos (time, peak
    memory of its own process), and 1,000 children moved to another municipality."""
    step = _stepper("records.py", "records.sqlite3", "media-records")
    child = step("prepare")
    made = step("person_file", str(child["child"]))
    moved = step("transfer", "1000")
    return (
        f"the person's own file, ten years of records and 500 photos: {made['pages']} pages, "
        f"package {made['package_mb']:.0f} MB, made in {made['seconds']:.1f} s, peak "
        f"{made['peak_mb']:.0f} MB; {moved['children']} children moved to another "
        f"municipality: export {moved['export_seconds']:.0f} s, import "
        f"{moved['import_seconds']:.0f} s, bundles {moved['bundles_mb']:.1f} MB, peak "
        f"{moved['peak_mb']:.0f} MB"
    )


def uploads_figures() -> str:
    """Cleaning the largest uploads (bench/uploads.py): a 100 MB video and a 20 MB Word file with
    30 photos, each beside one a tenth of its size, every one in a fresh process."""
    step = _stepper("uploads.py", "uploads.sqlite3", "media-uploads")
    step("prepare")
    lines = [
        "Cleaning uploads (core/uploads.py), each file in a fresh process; peak memory of the "
        "Python process (before cleaning → peak) and of ffmpeg:",
        "",
        "| file | MB | clean MB | seconds | Python MB | ffmpeg MB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in ("video-100mb.mp4", "video-10mb.mp4", "word-30-photos.docx", "word-3-photos.docx"):
        done = step("clean", name)
        ffmpeg = f"{done['ffmpeg_peak_mb']:.0f}" if done["ffmpeg_peak_mb"] else "–"
        lines.append(
            f"| {name} | {done['mb']:.1f} | {done['clean_mb']:.1f} | {done['seconds']:.1f} "
            f"| {done['baseline_mb']:.0f} → {done['peak_mb']:.0f} | {ffmpeg} |"
        )
    return "\n".join(lines)


def insights_figures(children: int, fresh: bool) -> str:
    """The municipality's dashboard with `children` children in one municipality (PostgreSQL):
    bench/insights.py's report."""
    name = f"stemme_insights_{children // 1000}k"
    url = f"{PG_SERVER}/{name}"
    generate = fresh or not postgres_exists(name)
    if generate:
        reset_postgres(name)
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "collectstatic", "--noinput", "-v0")
    if generate:
        print(f"[postgres] generating {children} children in one municipality …", flush=True)
        manage(url, "generate", "--children", str(children), "--municipalities", "1")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "insights.py")],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    )
    return "\n".join(done.stdout.strip().splitlines()[:-1])


API_DATABASES = {
    "sqlite": f"sqlite:///{ROOT / 'bench' / 'api.sqlite3'}",
    "postgres": f"{PG_SERVER}/stemme_api_bench",
}


def api_figures(name: str, children: int) -> str:
    """Import `children` through the API in batches of 500 into an empty database, then read the
    whole municipality back page by page (bench/api_import.py)."""
    url = API_DATABASES[name]
    if name == "postgres":
        reset_postgres("stemme_api_bench")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ROOT / 'bench' / 'api.sqlite3'}{suffix}").unlink(missing_ok=True)
    print(f"[{name}] {children} children through the API …", flush=True)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "api_import.py"), "--children", str(children)],
        cwd=ROOT,
        env=env_for(url),
        check=True,
        capture_output=True,
        text=True,
    )
    f = json.loads(done.stdout.strip().splitlines()[-1])
    return (
        f"| {name} | {f['children']:,} children through `POST /batches/children` "
        f"(batches of {f['batch']}) | {f['import_seconds']} s | {f['import_rows_per_second']:,} "
        f"rows/s | batch median {f['batch_median_ms']} ms, p95 {f['batch_p95_ms']} ms; "
        f"an unchanged batch {f['unchanged_batch_ms']} ms |\n"
        f"| {name} | the whole municipality read back (`GET /children?changed_since=…`, "
        f"{f['read_pages']} pages of 500) | {f['read_seconds']} s | {f['read_rows_per_second']:,} "
        f"rows/s | first page {f['page_first_ms']} ms, last {f['page_last_ms']} ms; peak "
        f"{f['peak_mb']} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--audit-entries", type=int, default=5_000_000)
    parser.add_argument("--skip-audit", action="store_true")
    parser.add_argument("--insights-children", default="10000,100000")
    parser.add_argument("--api-children", type=int, default=100_000)
    parser.add_argument(
        "--uploads-only", action="store_true", help="only clean the large uploads, and print it"
    )
    options = parser.parse_args()
    if options.uploads_only:
        print(uploads_figures())
        return
    results, portal_load = {}, {}
    for name in options.databases.split(","):
        url = DATABASES[name]
        prepare(name, url, options.children, options.fresh)
        run = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "measure.py"),
                "--requests",
                str(options.requests),
            ],
            cwd=ROOT,
            env=env_for(url),
            check=True,
            capture_output=True,
            text=True,
        )
        results[name] = json.loads(run.stdout)
        print(f"[{name}] 50 children on the portal at once …", flush=True)
        load = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "portal_load.py"), "--children", "50"],
            cwd=ROOT,
            env=env_for(url),
            check=True,
            capture_output=True,
            text=True,
        )
        portal_load[name] = json.loads(load.stdout.strip().splitlines()[-1])
    lines = [
        f"Stemme benchmark: {options.children} children, {options.requests} requests per page",
        "",
        "| database | page | median ms | p95 ms | queries |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, pages in results.items():
        for page, figures in pages.items():
            lines.append(
                f"| {name} | {page} | {figures['median_ms']:.1f} | {figures['p95_ms']:.1f} "
                f"| {figures['queries']} |"
            )
    for name, pages in results.items():
        ratio = (
            pages["child page"]["median_ms"] / pages["child page without access log"]["median_ms"]
        )
        lines.append(f"| {name} | cost of the access log on the child page | {ratio:.2f}× | | |")
    lines += [
        "",
        "The child's portal start page (/me/) through gunicorn (4 workers × 4 threads), 50 "
        "children signed in at once, 20 requests each; the load generator shares the machine:",
        "",
        "| database | median ms | p95 ms | requests per second |",
        "| --- | --- | --- | --- |",
    ]
    for name, figures in portal_load.items():
        lines.append(
            f"| {name} | {figures['median_ms']:.0f} | {figures['p95_ms']:.0f} "
            f"| {figures['per_second']:.0f} |"
        )
    if not options.skip_audit:
        lines += [
            "",
            f"audit_verify on {options.audit_entries:,} entries (peak memory of its process):",
            "",
            "| database | seconds | entries per second | peak MB |",
            "| --- | --- | --- | --- |",
        ]
        for name in options.databases.split(","):
            print(f"[{name}] filling and verifying the access log …", flush=True)
            figures = audit_verify_figures(name, options.audit_entries, options.fresh)
            lines.append(
                f"| {name} | {figures['seconds']:.0f} | {figures['per_second']:,.0f} "
                f"| {figures['peak_mb']:.0f} |"
            )
    pdf = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pdf.py")],
        cwd=ROOT,
        env=env_for(DATABASES["sqlite"]),
        check=True,
        capture_output=True,
        text=True,
    )
    lines += ["", pdf.stdout.strip()]
    lines += ["", life_book_figures()]
    lines += ["", records_figures()]
    lines += ["", uploads_figures()]
    lines += [
        "",
        "### The case system's API",
        "",
        "| database | what | time | rate | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [api_figures(name, options.api_children) for name in options.databases.split(",")]
    for size in options.insights_children.split(","):
        if size:
            print(f"[postgres] the insights dashboard at {size} children …", flush=True)
            lines += ["", insights_figures(int(size), options.fresh)]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(report + "\n")


if __name__ == "__main__":
    main()

"""Run audit_verify in this process and print its own peak memory (MB) and time (s) as JSON."""

import json
import resource
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

started = time.perf_counter()
call_command("audit_verify", stdout=StringIO())
print(
    json.dumps(
        {
            "seconds": time.perf_counter() - started,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
)

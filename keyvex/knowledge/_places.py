"""Place names a brief may write in lower case ("for plumbers in texas"), as they are spelt.

A brief written with capitals names its places itself ("in Texas"); in lower case only a
known name can say that a word is a place. The names are countries (ISO 3166, from
pycountry), the states and provinces people name in English-speaking countries, the UK's
nations and the cities a brief most often names. Names that are also ordinary English words
("turkey", "chad", "jersey", "reading", "nice") are left out: in lower case they are far
more often the word than the place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycountry

#: Countries whose states or provinces are named in English briefs by their own name.
SUBDIVIDED = ("US", "CA", "AU")
#: Short forms and English names pycountry does not give.
OTHER_NAMES = (
    "UK", "USA", "US", "EU", "UAE", "America", "Britain", "Great Britain", "Europe", "Asia",
    "Africa", "Latin America", "Scandinavia", "the Nordics", "the Netherlands", "Holland",
    "South Korea", "North Korea", "Russia", "Iran", "Syria", "Vietnam", "Laos", "Bolivia",
    "Venezuela", "Tanzania", "Moldova", "Taiwan", "England", "Scotland", "Wales",
    "Northern Ireland", "Bavaria", "Catalonia", "Andalusia", "Tuscany", "Flanders",
    "Wallonia", "Brittany", "Provence", "Normandy", "Lombardy", "Silicon Valley",
)  # fmt: skip
CITIES = (
    "London", "Paris", "Berlin", "Madrid", "Rome", "Amsterdam", "Rotterdam", "Dublin",
    "Edinburgh", "Manchester", "Birmingham", "Glasgow", "Liverpool", "Leeds", "Bristol",
    "Cardiff", "Belfast", "New York", "New York City", "NYC", "Los Angeles", "San Francisco",
    "San Diego", "Chicago", "Houston", "Dallas", "Austin", "Miami", "Seattle", "Boston",
    "Atlanta", "Denver", "Philadelphia", "Toronto", "Vancouver", "Montreal", "Calgary",
    "Ottawa", "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Auckland",
    "Wellington", "Singapore", "Hong Kong", "Dubai", "Abu Dhabi", "Tokyo", "Mumbai", "Delhi",
    "Bangalore", "Munich", "Hamburg", "Frankfurt", "Cologne", "Vienna", "Zurich", "Geneva",
    "Stockholm", "Oslo", "Copenhagen", "Helsinki", "Brussels", "Antwerp", "Lisbon", "Porto",
    "Barcelona", "Valencia", "Milan", "Prague", "Warsaw", "Budapest", "Athens", "Istanbul",
    "Cape Town", "Johannesburg", "Nairobi", "Lagos", "Sao Paulo", "São Paulo",
    "Mexico City", "Buenos Aires",
)  # fmt: skip
#: Place names that are, in lower case, far more often ordinary words.
ORDINARY_WORDS = frozenset(
    """turkey chad jordan china guinea jersey man niger reading bath nice split mobile orange
    reunion us""".split()
)


def _plain(name: str) -> str:
    """``name`` without accents, for matching a brief typed without them ("quebec")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _short(name: str) -> str:
    """pycountry's long forms cut to the name people use: "Korea, Republic of" -> "Korea",
    "Wales [Cymru GB-CYM]" -> "Wales"."""
    return re.split(r"[,\[(]", name)[0].strip()


@cache
def place_names() -> dict[str, str]:
    """Every known place name, lower case (and without accents) -> as it is spelt."""
    names: list[str] = [*OTHER_NAMES, *CITIES]
    for country in pycountry.countries:
        names += [_short(country.name), _short(getattr(country, "common_name", country.name))]
    names += [_short(s.name) for s in pycountry.subdivisions if s.country_code in SUBDIVIDED]
    found: dict[str, str] = {}
    for name in names:
        name = name.removeprefix("the ")
        for key in {name.lower(), _plain(name).lower()}:
            if key not in ORDINARY_WORDS and len(key) > 1:
                found.setdefault(key, name)
    return found


@cache
def lower_case_place() -> re.Pattern[str]:
    """A known place after a preposition of place, in any casing ("in texas", "across the
    uk", "near lake como" is not known and stays for the capitalised rule)."""
    names = sorted(place_names(), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(
        r"(?i)\b(?:in|across|throughout|around|near|within)\s+(?:the\s+)?"
        r"(?P<place>" + alternatives + r")(?![\w'’-])"
    )


#: The currency a country pays in (ISO 3166 alpha-2 -> ISO 4217), for the countries whose
#: currency a brief may leave unsaid. Reviewed by hand: pycountry has no such mapping. The euro
#: area as of 2026 (Bulgaria joined that January) and the small states that use the euro.
EURO = """AT BE BG HR CY EE FI FR DE GR IE IT LV LT LU MT NL PT SK SI ES AD MC SM VA ME""".split()
COUNTRY_CURRENCIES: dict[str, str] = {
    **dict.fromkeys(EURO, "EUR"),
    "GB": "GBP", "US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "CH": "CHF",
    "LI": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "JP": "JPY", "IN": "INR",
    "ZA": "ZAR", "PL": "PLN", "BR": "BRL", "MX": "MXN", "SG": "SGD", "HK": "HKD",
    "AE": "AED", "CZ": "CZK", "HU": "HUF", "RO": "RON", "IL": "ILS",
    "KR": "KRW", "CN": "CNY", "NG": "NGN", "KE": "KES", "AR": "ARS",
}  # fmt: skip
#: Names pycountry does not resolve to a country: short forms, nations, regions and the
#: cities in ``CITIES`` (lower case, without accents).
PLACE_COUNTRIES: dict[str, str] = {
    "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "us": "US", "america": "US",
    "silicon valley": "US", "holland": "NL", "netherlands": "NL", "bavaria": "DE",
    "catalonia": "ES", "andalusia": "ES", "tuscany": "IT", "lombardy": "IT",
    "flanders": "BE", "wallonia": "BE", "brittany": "FR", "provence": "FR",
    "normandy": "FR", "south korea": "KR",
    **dict.fromkeys(
        ("london", "edinburgh", "manchester", "birmingham", "glasgow", "liverpool", "leeds",
         "bristol", "cardiff", "belfast"), "GB"),
    **dict.fromkeys(
        ("new york", "new york city", "nyc", "los angeles", "san francisco", "san diego",
         "chicago", "houston", "dallas", "austin", "miami", "seattle", "boston", "atlanta",
         "denver", "philadelphia"), "US"),
    **dict.fromkeys(("toronto", "vancouver", "montreal", "calgary", "ottawa"), "CA"),
    **dict.fromkeys(("sydney", "melbourne", "brisbane", "perth", "adelaide"), "AU"),
    "auckland": "NZ", "wellington": "NZ", "paris": "FR", "berlin": "DE", "munich": "DE",
    "hamburg": "DE", "frankfurt": "DE", "cologne": "DE", "madrid": "ES", "barcelona": "ES",
    "valencia": "ES", "rome": "IT", "milan": "IT", "amsterdam": "NL", "rotterdam": "NL",
    "dublin": "IE", "vienna": "AT", "zurich": "CH", "geneva": "CH", "stockholm": "SE",
    "oslo": "NO", "copenhagen": "DK", "helsinki": "FI", "brussels": "BE", "antwerp": "BE",
    "lisbon": "PT", "porto": "PT", "athens": "GR", "warsaw": "PL", "prague": "CZ",
    "budapest": "HU", "singapore": "SG", "hong kong": "HK", "dubai": "AE",
    "abu dhabi": "AE", "tokyo": "JP", "mumbai": "IN", "delhi": "IN", "bangalore": "IN",
    "cape town": "ZA", "johannesburg": "ZA", "nairobi": "KE", "lagos": "NG",
    "sao paulo": "BR", "mexico city": "MX", "buenos aires": "AR",
}  # fmt: skip


def _country_of(place: str) -> str | None:
    """The ISO country code of a place the brief names, when it is known."""
    key = _plain(place).lower().removeprefix("the ")
    if key in PLACE_COUNTRIES:
        return PLACE_COUNTRIES[key]
    try:
        return str(pycountry.countries.lookup(place).alpha_2)
    except LookupError:
        pass
    for subdivision in pycountry.subdivisions:
        if (
            subdivision.country_code in SUBDIVIDED
            and _plain(_short(subdivision.name)).lower() == key
        ):
            return str(subdivision.country_code)
    return None


def currency_of(places: list[str]) -> str | None:
    """The currency of the places a brief names ("clients in the UK" -> GBP), when they all
    pay in one known currency; None when a place is unknown or two currencies meet."""
    found = {COUNTRY_CURRENCIES.get(_country_of(p) or "") for p in places}
    return found.pop() if len(found) == 1 else None

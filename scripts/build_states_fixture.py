"""Build fixtures/states.json from the Correlates of War state list and an ISO/COW crosswalk.

Usage:
    python scripts/build_states_fixture.py STATES2016_CSV ISO_COW_SLIM_CSV OUT_JSON

STATES2016_CSV    Correlates of War Project, State System Membership List, v2016 (states2016.csv):
                  one row per membership spell; the file carries 11 empty trailing columns.
ISO_COW_SLIM_CSV  The ISO 3166 / COW columns of the countrycode code list (iso_cow_slim.csv:
                  country.name.en, iso.name.en, iso2c, iso3c, cown, ...), joined on `cown`.
OUT_JSON          Where to write the fixture (normally fixtures/states.json).

The output holds one state per COW ccode, sorted by COW code, plus the hand-added records marked
below (the USSR and a few successions). Standard library only; the output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

ACCESSED = "2026-11-27"
# The last day covered by states2016: a spell ending here means "still a member".
DATASET_END = dt.date(2016, 12, 31)
STATES_COLUMNS = (
    "stateabb",
    "ccode",
    "statenme",
    "styear",
    "stmonth",
    "stday",
    "endyear",
    "endmonth",
    "endday",
    "version",
)

COW = "cow-states-2016"
CODELIST = "countrycode-codelist"

SOURCES: list[dict[str, Any]] = [
    {
        "key": COW,
        "title": "Correlates of War Project, State System Membership List, v2016",
        "dataset": "COW states2016.csv",
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": CODELIST,
        "title": "countrycode code list (ISO 3166 / COW crosswalk)",
        "dataset": "countrycode codelist_without_cldr.csv",
        "url": "https://github.com/vincentarelbundock/countrycode",
        "accessed": ACCESSED,
    },
    # Sources of the hand-added records below.
    {
        "key": "iso-3166-3",
        "title": "ISO 3166-3, Codes for the representation of names of countries and their"
        " subdivisions, Part 3: Code for formerly used names of countries",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": "ussr-union-treaty-1922",
        "title": "Treaty on the Creation of the Union of Soviet Socialist Republics,"
        " 30 December 1922",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": "ussr-declaration-142n-1991",
        "title": "Declaration No. 142-N of the Soviet of the Republics of the Supreme Soviet of"
        " the USSR, 26 December 1991",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": "rf-letter-unsg-1991-12-24",
        "title": "Letter of the President of the Russian Federation to the Secretary-General of"
        " the United Nations, 24 December 1991 (the Russian Federation continues the USSR's"
        " membership of the United Nations)",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": "german-unification-treaty-1990",
        "title": "Treaty between the Federal Republic of Germany and the German Democratic"
        " Republic on the Establishment of German Unity (Unification Treaty),"
        " 31 August 1990",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
    {
        "key": "vn-national-assembly-1976-07-02",
        "title": "National Assembly of Viet Nam, decision of 2 July 1976 on the reunification"
        " of the country as the Socialist Republic of Viet Nam",
        "dataset": None,
        "url": None,
        "accessed": ACCESSED,
    },
]

# --- Hand corrections to the crosswalk (each one explained) ---------------------------------

# A clean ISO short name where the generic clean-up below reads badly.
NAME_FIXES: dict[int, str] = {
    # ISO 3166-1 short name "Taiwan (Province of China)"; COW calls the state "Taiwan".
    713: "Taiwan",
}

# A common name where the crosswalk's country.name.en keeps an inversion.
SHORT_NAME_FIXES: dict[int, str] = {
    987: "Micronesia",  # country.name.en "Micronesia (Federated States of)"
}

# Crosswalk rows that do not describe the COW state and are therefore not used.
REJECTED_CROSSWALK: dict[int, str] = {
    327: "COW 327 is the Papal States (1816-1860); the crosswalk attaches it to the Holy See"
    " (ISO VA/VAT), a different entity, so no ISO code is given here.",
}

# ISO alpha-2 codes lost from the slim crosswalk file. Namibia's "NA" is read as a missing
# value; the full countrycode code list (codelist_without_cldr.csv) gives iso2c "NA".
ISO2_FIXES: dict[int, str] = {565: "NA"}

# Notes on states whose COW coding spans several regimes or differs from ISO.
STATE_NOTES: dict[int, str] = {
    255: "COW 255 covers Prussia/Germany to 1945 and unified Germany from 1990-10-03;"
    " the Federal Republic of Germany of 1955-1990 is COW 260.",
    260: "Federal Republic of Germany before unification. The crosswalk attaches ISO DEU to"
    " COW 255 (unified Germany) only, so no ISO code is given here.",
    345: "COW 345 continues from Serbia (1878) through Yugoslavia to Serbia; the crosswalk"
    " gives it no ISO code.",
    365: "COW 365 covers the Russian Empire, the USSR and the Russian Federation as one state;"
    " the USSR also has its own record (iso3 SUN) with the same COW code.",
    565: "ISO alpha-2 NA taken from the full countrycode code list (the slim crosswalk reads"
    " it as a missing value).",
    710: "COW 710 covers China from 1860: the Qing empire, the Republic of China and, from"
    " 1949, the People's Republic of China. Named here by its ISO 3166-1 short name, China.",
    713: "ISO 3166-1 short name: Taiwan (Province of China).",
    730: "Korea before 1905; distinct from North Korea (COW 731) and South Korea (COW 732).",
    816: "COW 816 is the Democratic Republic of Vietnam from 1954 and, from 1976, the"
    " Socialist Republic of Viet Nam.",
    817: "COW ends the Republic of Vietnam on 1975-04-30; the country was formally reunified"
    " on 1976-07-02.",
}

# --- Hand-added records ------------------------------------------------------------------------

# The USSR. COW (and ATOP) code the USSR as 365, the same state as Russia, so states2016 has no
# USSR spell of its own. Its ISO 3166-1 codes SU / SUN were withdrawn and moved to ISO 3166-3 as
# SUHH. Sources: ISO 3166-3; the 1922 Union Treaty; Declaration No. 142-N of 26 December 1991.
USSR: dict[str, Any] = {
    "cow_code": 365,
    "cow_abbrev": "RUS",
    "name": "Union of Soviet Socialist Republics",
    "short_name": "USSR",
    "iso3": "SUN",
    "iso2": "SU",
    "began": "1922-12-30",
    "ended": "1991-12-26",
    "notes": "Former ISO 3166-1 codes SU / SUN (numeric 810), withdrawn; ISO 3166-3 code SUHH."
    " COW and ATOP code the USSR as 365, the same as Russia, whose continuing state is the"
    " Russian Federation.",
    "sources": [COW, "iso-3166-3", "ussr-union-treaty-1922", "ussr-declaration-142n-1991"],
}

# Successions. States with an ISO alpha-3 are referred to by it, others as "cow:NNN".
SUCCESSIONS: list[dict[str, Any]] = [
    {
        "predecessor": "SUN",
        "successor": "RUS",
        "on": "1991-12-26",
        "kind": "continuation",
        "note": "The Russian Federation is the continuing state of the USSR (it kept the USSR's"
        " seat at the United Nations); COW and ATOP code both as 365.",
        "sources": [
            "ussr-declaration-142n-1991",
            "rf-letter-unsg-1991-12-24",
            "iso-3166-3",
            COW,
        ],
    },
    {
        "predecessor": "cow:265",
        "successor": "DEU",
        "on": "1990-10-03",
        "kind": "merger",
        "note": "German unification: the German Democratic Republic acceded to the Federal"
        " Republic of Germany. COW ends the GDR on 1990-10-02 and resumes Germany (255) on"
        " 1990-10-03.",
        "sources": [COW, "german-unification-treaty-1990"],
    },
    {
        "predecessor": "cow:260",
        "successor": "DEU",
        "on": "1990-10-03",
        "kind": "continuation",
        "note": "Unified Germany continues the Federal Republic of Germany, which COW codes as"
        " 260 until 1990-10-02 and as Germany (255) from 1990-10-03.",
        "sources": [COW, "german-unification-treaty-1990"],
    },
    {
        "predecessor": "cow:678",
        "successor": "YEM",
        "on": "1990-05-22",
        "kind": "merger",
        "note": "Yemeni unification: the Yemen Arab Republic (North Yemen) and the Yemen"
        " People's Republic (South Yemen) formed the Republic of Yemen. COW ends both on"
        " 1990-05-21 and begins Yemen (679) on 1990-05-22.",
        "sources": [COW],
    },
    {
        "predecessor": "cow:680",
        "successor": "YEM",
        "on": "1990-05-22",
        "kind": "merger",
        "note": "Yemeni unification (see the Yemen Arab Republic).",
        "sources": [COW],
    },
    {
        "predecessor": "cow:315",
        "successor": "CZE",
        "on": "1993-01-01",
        "kind": "dissolution",
        "note": "Dissolution of Czechoslovakia (COW 315, CZE in COW's own abbreviations) into"
        " the Czech Republic and Slovakia. COW ends Czechoslovakia on 1992-12-31.",
        "sources": [COW],
    },
    {
        "predecessor": "cow:315",
        "successor": "SVK",
        "on": "1993-01-01",
        "kind": "dissolution",
        "note": "Dissolution of Czechoslovakia (see the Czech Republic).",
        "sources": [COW],
    },
    {
        "predecessor": "cow:817",
        "successor": "VNM",
        "on": "1976-07-02",
        "kind": "merger",
        "note": "Formal reunification of Viet Nam as the Socialist Republic of Viet Nam. COW"
        " ends the Republic of Vietnam on 1975-04-30 (the fall of Saigon) and continues the"
        " Democratic Republic of Vietnam as 816.",
        "sources": [COW, "vn-national-assembly-1976-07-02"],
    },
    {
        "predecessor": "cow:511",
        "successor": "TZA",
        "on": "1964-04-26",
        "kind": "merger",
        "note": "Union of Tanganyika and Zanzibar; COW continues Tanganyika as Tanzania (510)"
        " and ends Zanzibar (511) on 1964-04-26.",
        "sources": [COW],
    },
]

# --- Reading -----------------------------------------------------------------------------------


def read_spells(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The membership spells of states2016.csv, and how many rows had stray trailing cells.

    The header names 10 columns and leaves 11 more unnamed. Those unnamed columns are dropped;
    in a few rows they hold leftover spreadsheet values (numbers, "#REF!") that belong to no
    documented field."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]
    width = len(STATES_COLUMNS)
    if tuple(header[:width]) != STATES_COLUMNS or any(name.strip() for name in header[width:]):
        sys.exit(f"{path}: unexpected header {header}")
    spells = []
    stray = 0
    for row in body:
        stray += any(cell.strip() for cell in row[width:])
        record = dict(zip(STATES_COLUMNS, row[:width], strict=True))
        spells.append(
            {
                "abbrev": record["stateabb"].strip(),
                "ccode": int(record["ccode"]),
                "name": record["statenme"].strip(),
                "start": dt.date(
                    int(record["styear"]), int(record["stmonth"]), int(record["stday"])
                ),
                "end": dt.date(
                    int(record["endyear"]), int(record["endmonth"]), int(record["endday"])
                ),
            }
        )
    return spells, stray


def read_crosswalk(path: Path) -> dict[int, dict[str, str]]:
    """Crosswalk rows keyed by COW numeric code (`cown`); rows without one are skipped."""
    by_cow: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            cown = (row.get("cown") or "").strip()
            if not cown:
                continue
            code = int(float(cown))
            if code in by_cow:
                sys.exit(f"{path}: COW code {code} appears twice")
            by_cow[code] = {key: (value or "").strip() for key, value in row.items()}
    return by_cow


# --- Names -------------------------------------------------------------------------------------

# "Korea (the Democratic People's Republic of)" -> "Democratic People's Republic of Korea";
# "Congo (the Democratic Republic of the)" -> "Democratic Republic of the Congo".
_INVERTED = re.compile(r"(?P<base>[^(]+?) \((?:the )?(?P<head>[^()]*\bof(?: the)?)\)")
# "Tanzania, the United Republic of" -> "United Republic of Tanzania".
_INVERTED_COMMA = re.compile(r"(?P<base>[^,]+), (?:the )?(?P<head>.*\bof(?: the)?)")
# "Russian Federation (the)" -> "Russian Federation".
_TRAILING_THE = re.compile(r"(?P<base>.+?) \(the\)")


def clean_iso_name(raw: str) -> str:
    """The ISO 3166-1 English short name in reading order, without "(the)"."""
    name = " ".join(raw.split())
    for pattern in (_INVERTED, _INVERTED_COMMA):
        match = pattern.fullmatch(name)
        if match:
            return f"{match['head']} {match['base']}"
    match = _TRAILING_THE.fullmatch(name)
    return match["base"] if match else name


# --- Building ----------------------------------------------------------------------------------


def iso_date(day: dt.date) -> str:
    return day.isoformat()


def build_state(ccode: int, spells: list[dict[str, Any]], row: dict[str, str] | None) -> dict:
    spells = sorted(spells, key=lambda spell: spell["start"])
    first, last = spells[0], spells[-1]
    abbrevs = {spell["abbrev"] for spell in spells}
    names = {spell["name"] for spell in spells}
    if len(abbrevs) != 1 or len(names) != 1:
        sys.exit(f"COW code {ccode}: spells disagree on the abbreviation or the name")
    cow_name = first["name"]

    notes = []
    if len(spells) > 1:
        listed = ", ".join(
            f"{iso_date(spell['start'])}..{iso_date(spell['end'])}" for spell in spells
        )
        notes.append(f"COW membership spells: {listed}.")
    if ccode in REJECTED_CROSSWALK:
        notes.append(REJECTED_CROSSWALK[ccode])
        row = None
    if ccode in STATE_NOTES:
        notes.append(STATE_NOTES[ccode])

    sources = [COW]
    name = short_name = cow_name
    iso3 = iso2 = None
    if row is not None:
        sources.append(CODELIST)
        if row["iso.name.en"]:
            name = clean_iso_name(row["iso.name.en"])
        if row["country.name.en"]:
            short_name = row["country.name.en"]
        iso3 = row["iso3c"] or None
        iso2 = row["iso2c"] or ISO2_FIXES.get(ccode)
    name = NAME_FIXES.get(ccode, name)
    short_name = SHORT_NAME_FIXES.get(ccode, short_name)

    return {
        "cow_code": ccode,
        "cow_abbrev": first["abbrev"],
        "name": name,
        "short_name": short_name,
        "iso3": iso3,
        "iso2": iso2,
        "began": iso_date(first["start"]),
        "ended": None if last["end"] >= DATASET_END else iso_date(last["end"]),
        "notes": " ".join(notes) or None,
        "sources": sources,
    }


def build(states_csv: Path, crosswalk_csv: Path) -> tuple[dict[str, Any], int, int]:
    spells, stray = read_spells(states_csv)
    crosswalk = read_crosswalk(crosswalk_csv)
    by_code: dict[int, list[dict[str, Any]]] = {}
    for spell in spells:
        by_code.setdefault(spell["ccode"], []).append(spell)

    states = [build_state(code, by_code[code], crosswalk.get(code)) for code in sorted(by_code)]
    states.append(dict(USSR))
    states.sort(key=lambda state: (state["cow_code"], state["began"]))

    iso3s = [state["iso3"] for state in states if state["iso3"]]
    duplicates = sorted({code for code in iso3s if iso3s.count(code) > 1})
    if duplicates:
        sys.exit(f"ISO alpha-3 codes used twice: {duplicates}")
    check_successions(states)

    successions = sorted(SUCCESSIONS, key=lambda s: (s["on"], s["predecessor"], s["successor"]))
    data = {"sources": SOURCES, "states": states, "successions": successions}
    return data, len(spells), stray


def check_successions(states: list[dict[str, Any]]) -> None:
    """Every state a succession names exists, and "cow:NNN" is used only without an ISO code."""
    by_iso = {state["iso3"] for state in states if state["iso3"]}
    cow_only = {state["cow_code"] for state in states if not state["iso3"]}
    keys = {source["key"] for source in SOURCES}
    for succession in SUCCESSIONS:
        for ref in (succession["predecessor"], succession["successor"]):
            known = int(ref[4:]) in cow_only if ref.startswith("cow:") else ref in by_iso
            if not known:
                sys.exit(f"succession refers to an unknown state {ref!r}")
        missing = set(succession["sources"]) - keys
        if missing:
            sys.exit(f"succession cites unknown sources {sorted(missing)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("states_csv", type=Path, help="COW states2016.csv")
    parser.add_argument("crosswalk_csv", type=Path, help="iso_cow_slim.csv (countrycode)")
    parser.add_argument("out_json", type=Path, help="output, e.g. fixtures/states.json")
    args = parser.parse_args(argv)

    data, spell_count, stray = build(args.states_csv, args.crosswalk_csv)
    with args.out_json.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(data, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    with_iso = sum(1 for state in data["states"] if state["iso3"])
    print(
        f"{spell_count} spells read ({stray} with stray values in the unnamed columns, dropped);"
        f" {len(data['states'])} states written"
        f" ({with_iso} with an ISO code), {len(data['successions'])} successions"
        f" -> {args.out_json}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

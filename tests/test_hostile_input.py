"""Hostile input at every door a value comes in by: the date parser, treaty and event validation,
the command line (add, and the searches of list and export), our JSON and CSV imports, and the
app's filter bar.

Every case ends in a correct result or a clear refusal: an exception of the documented kind
with a short message, or for the command line exit status 1 and one line
`treaty-timeline: error: ...` naming what is wrong (the file, line and column for an import).
Never a traceback, and a refused command leaves every table as it was.

Property-based where it fits, with modest example counts so that the file stays quick. Run with
-v to see, per group, how many cases were tried and how each ended."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from db.engine import database_url, make_engine
from db.models import Provision, Treaty
from db.search import search_words
from tests.conftest import ON_POSTGRES
from tests.db_dump import dump_database
from timeline.browse import BrowseFilter, BrowseState, apply_filter, fetch_page
from timeline.cli import main
from timeline.dates import DateError, DateOrder, PartialDate, Precision, parse_date
from timeline.forms import (
    CHOICES,
    INT_FIELDS,
    LABELS,
    SEARCH_MAX,
    SLUG_PATTERN,
    TEXT_LIMITS,
    EventInput,
    InvalidInput,
    TreatyInput,
    validate_event,
    validate_treaty,
)
from timeline.io.selection import select_treaties
from timeline.records import StateIndex
from timeline.strength import parse_strength
from timeline.timeline_rows import PAGE_SIZE

REPO = Path(__file__).resolve().parent.parent
PROG_ERROR = "treaty-timeline: error: "
# A message longer than this is not one a user can read; a huge value must be cut short in it.
MESSAGE_MAX = 2000
MB = 1_000_000

BASE = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- how each case ended -------------------------------------------------------------------------

TALLY: Counter[tuple[str, str]] = Counter()
GROUPS = ("dates", "treaty validation", "event validation", "command line", "imports", "filter bar")


def ended(group: str, outcome: str) -> None:
    """Count one case of `group` that ended in a clear "message" or a correct "result"."""
    assert group in GROUPS and outcome in ("message", "result")
    TALLY[group, outcome] += 1


@pytest.fixture(scope="module", autouse=True)
def _report_how_cases_ended(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or request.config.getoption("verbose") <= 0 or not TALLY:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        for group in GROUPS:
            messages, results = TALLY[group, "message"], TALLY[group, "result"]
            reporter.write_line(
                f"hostile input, {group}: {messages + results} cases,"
                f" {messages} clear messages, {results} correct results"
            )


def assert_clear(message: str) -> None:
    assert message.strip(), "an empty message"
    assert "\n" not in message and "\r" not in message, message[:300]
    assert len(message) <= MESSAGE_MAX, message[:300]
    assert "Traceback" not in message


# -- values ---------------------------------------------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)

NASTY_TEXTS = [
    "", "   ", "\t\n", "'; DROP TABLE treaty; --", '" OR 1=1 --',
    "Robert'); DELETE FROM treaty_party; --", "%", "100%", "_", "\\", "\\%", "*", "NEAR", "OR",
    "AND NOT", "(unbalanced", 'unbalanced"', "'", "\x00", "a\x00b", "../../etc/passwd",
    "C:\\Windows\\system32", "😀🇰🇵", "\u202eevil\u202c", "İstanbul", "ß", "x" * 600,
    "06/07/1961", "31 February 2024", "0", "-1", "99999999999", "²", "١٩٦١", "nan", "inf", "1e3",
    "3.0", "true", "PRK", "RUS:guarantor", "4:defence:text", ":", "::", "--", "-", "--title",
]  # fmt: skip
NASTY = st.text(max_size=40) | st.sampled_from(NASTY_TEXTS)


# -- dates ----------------------------------------------------------------------------------------

MONTHS = [
    "",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def renderings(value: dt.date, precision: Precision) -> list[str]:
    """Every way the parser documents of writing this date at this precision."""
    y, m, d = value.year, value.month, value.day
    year4 = f"{y:04d}"
    year = str(y) if y >= 100 else year4  # a two-digit year is refused, never guessed
    month, mon = MONTHS[m], MONTHS[m][:3]
    if precision is Precision.YEAR:
        return [year4, year]
    if precision is Precision.MONTH:
        return [
            f"{year4}-{m:02d}", f"{month} {year}", f"{mon} {year}", f"{mon}. {year}",
            f"{year} {month}", f"{m:02d}/{year4}", f"{m}/{year}",
        ]  # fmt: skip
    return [
        f"{year4}-{m:02d}-{d:02d}", f"{d} {month} {year}", f"{month} {d}, {year}",
        f"{mon} {d}, {year}", f"{_ordinal(d)} {month} {year}", f"{d} {mon}. {year}",
        f"{year} {month} {d}", f"{year4}/{m:02d}/{d:02d}", f"{d}-{mon}-{year}",
    ]  # fmt: skip


ALL_DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(BASE, max_examples=300)
@given(
    value=ALL_DATES,
    precision=st.sampled_from(list(Precision)),
    case=st.sampled_from([str, str.upper, str.lower, str.title]),
    space=st.sampled_from([" ", "  ", "\t", " \n "]),
)
def test_every_accepted_form_reads_back_the_same_date(
    value: dt.date, precision: Precision, case: Callable[[str], str], space: str
) -> None:
    expected = PartialDate.from_parts(value, precision)
    for text in renderings(value, precision):
        typed = case(text).replace(" ", space)
        for order in DateOrder:
            assert parse_date(typed, order) == expected, (typed, order)
        ended("dates", "result")
    # The parser's own texts read back too.
    assert parse_date(expected.iso()) == expected
    assert parse_date(expected.display()) == expected


DATE_ALPHABET = st.sampled_from(list("0123456789 -/.,:") + ["July", "jul", "st", "th", "BC", "ad"])
DATEISH = st.lists(DATE_ALPHABET, max_size=8).map("".join)


@settings(BASE, max_examples=400)
@given(text=st.text() | DATEISH, order=st.sampled_from(list(DateOrder)))
def test_any_text_is_a_date_or_a_date_error(text: str, order: DateOrder) -> None:
    try:
        found = parse_date(text, order)
    except DateError as error:
        assert_clear(str(error))
        ended("dates", "message")
        return
    assert isinstance(found, PartialDate) and isinstance(found.precision, Precision)
    assert 1 <= found.value.year <= 9999
    assert found.first_day <= found.last_day
    assert parse_date(found.iso()) == found
    ended("dates", "result")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0001", PartialDate(dt.date(1, 1, 1), Precision.YEAR)),
        ("1 January 0001", PartialDate(dt.date(1, 1, 1), Precision.DAY)),
        ("0001-01-01", PartialDate(dt.date(1, 1, 1), Precision.DAY)),
        ("9999", PartialDate(dt.date(9999, 1, 1), Precision.YEAR)),
        ("December 9999", PartialDate(dt.date(9999, 12, 1), Precision.MONTH)),
        ("31 December 9999", PartialDate(dt.date(9999, 12, 31), Precision.DAY)),
        ("9999-12-31", PartialDate(dt.date(9999, 12, 31), Precision.DAY)),
        ("29 February 2000", PartialDate(dt.date(2000, 2, 29), Precision.DAY)),
    ],
)
def test_the_first_and_last_years_are_read(text: str, expected: PartialDate) -> None:
    assert parse_date(text) == expected
    ended("dates", "result")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "no four-digit year"),
        ("1", "no four-digit year"),
        ("61", "no four-digit year"),
        ("0000", "there is no year 0"),
        ("January 0000", "there is no year 0"),
        ("10000", "too long"),
        ("99999", "too long"),
        ("1 January 10000", "too long"),
        ("-1", "BC/BCE"),
        ("-0500", "BC/BCE"),
        ("\u2212" + "44", "BC/BCE"),
        ("500 BC", "BC/BCE"),
        ("500 BCE", "BC/BCE"),
        ("44 B.C.", "BC/BCE"),
        ("753 bc", "BC/BCE"),
        ("15 March 44 BC", "BC/BCE"),
        ("1 AD", "AD/CE"),
        ("32 December 2000", "no 32nd"),
        ("29 February 1900", "no 29th"),
        ("0 January 2000", "no day 0"),
        ("2000-13-01", "no month 13"),
        ("1961-07-06T10:00", "time"),
        ("next Tuesday", "not a calendar date"),
        ("", "no date given"),
    ],
)
def test_impossible_and_ancient_years_are_refused_clearly(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert message in str(caught.value)
    assert_clear(str(caught.value))
    ended("dates", "message")


@settings(BASE, max_examples=200)
@given(value=ALL_DATES.filter(lambda d: d.year >= 1000), sep=st.sampled_from(["/", ".", "-"]))
def test_numeric_dates_read_two_ways_are_refused_unless_an_order_is_chosen(
    value: dt.date, sep: str
) -> None:
    d, m, y = value.day, value.month, value.year
    expected = PartialDate(value, Precision.DAY)
    day_first = f"{d:02d}{sep}{m:02d}{sep}{y}"
    month_first = f"{m:02d}{sep}{d:02d}{sep}{y}"
    assert parse_date(day_first, DateOrder.DAY_FIRST) == expected
    assert parse_date(month_first, DateOrder.MONTH_FIRST) == expected
    ended("dates", "result")
    if d <= 12 and d != m:
        for text in (day_first, month_first):
            with pytest.raises(DateError, match="ambiguous") as caught:
                parse_date(text)
            # Both readings are spelt out.
            assert MONTHS[m] in str(caught.value) and MONTHS[d] in str(caught.value)
            ended("dates", "message")
    else:
        # Only one reading makes sense (13/07 or 07/07): strict reads it.
        assert parse_date(day_first) == expected
        assert parse_date(month_first) == expected
        ended("dates", "result")


# -- treaty and event validation ------------------------------------------------------------------


@pytest.fixture
def states(seeded_session: Session) -> StateIndex:
    return StateIndex(seeded_session)


VALID_TREATY: dict[str, Any] = {
    "slug": "hostile-pact-1999",
    "title": "Hostile Pact",
    "signed": "July 1999",
    "parties": ["USA", "CAN"],
}
PARTY_ENTRY = st.dictionaries(
    st.sampled_from(
        ["state", "role", "signer", "signer_title", "ratified", "notes", "sources", "x"]
    ),
    JSONISH | NASTY,
    max_size=4,
)
PROVISION_ENTRY = st.dictionaries(
    st.sampled_from(["article", "obligation", "security", "conditions", "text", "text_status",
                     "language", "translation_note", "sources", "x"]),
    JSONISH | NASTY,
    max_size=4,
)  # fmt: skip
FIELD_VALUE = (
    JSONISH
    | NASTY
    | st.lists(PARTY_ENTRY | PROVISION_ENTRY | NASTY | JSONISH, max_size=4)
    | PARTY_ENTRY
)
# Values a field takes, so that hostile ones are tried beside a record that is otherwise valid.
PLAUSIBLE: dict[str, list[Any]] = {
    "short_title": ["Pact", "  Pact  ", "Åland Pact"], "kind": ["alliance", "Non Aggression"],
    "signed": ["1999", "6 July 1999", "1999-07-06"], "in_force": ["2000", "July 2000"],
    "ended": ["2010", ""], "end_reason": ["denounced", "Expired"], "term_months": [12, "240"],
    "indefinite": [True, "yes", "no"], "renewal": ["automatic", "by_agreement"],
    "renewal_months": ["60"], "strength": [0, "3", "automatic defence"],
    "strength_clause": ["4"], "summary": ["It's 100% \"binding\"; see Art. 4_b."],
    "notes": [None, "", "notes"], "atop_id": [3765, "3765"], "cow_id": ["229"],
    "unts_number": ["I-12345"], "wikidata_id": ["Q123"], "replaces": ["ussr-dprk-1961", None],
    "parties": [["PRK", "CHN"], ["RUS", {"state": "Korea, North", "role": "party"}]],
    "provisions": [
        ["4:defence:Each party shall assist."], [{"article": "1", "obligation": "consultation"}],
    ],
}  # fmt: skip
FIELDS = st.builds(
    lambda plausible, hostile: {**dict(plausible), **dict(hostile)},
    st.lists(st.sampled_from([(k, v) for k, values in PLAUSIBLE.items() for v in values])),
    st.lists(st.tuples(st.sampled_from([*LABELS, "sources"]), FIELD_VALUE), max_size=2),
)


def _validate(raw: dict[str, Any], states: StateIndex) -> TreatyInput:
    return validate_treaty(
        raw,
        states,
        slug_taken=lambda s: s == "ussr-dprk-1961",
        treaty_exists=lambda s: s == "ussr-dprk-1961",
    )


def _check_accepted(data: TreatyInput) -> None:
    values = data.values
    assert SLUG_PATTERN.fullmatch(values["slug"])
    for name, limit in TEXT_LIMITS.items():
        assert values[name] is None or (
            0 < len(values[name]) <= limit and "\x00" not in values[name]
        )
    for name, allowed in CHOICES.items():
        assert values[name] is None or values[name] in allowed
    for name in INT_FIELDS:
        assert values[name] is None or 1 <= values[name] <= 2**31 - 1
    assert values["strength"] is None or 0 <= values["strength"] <= 5
    assert len({p["state_id"] for p in data.parties if p["role"] == "party"}) >= 2


@settings(BASE, max_examples=200)
@given(fields=FIELDS, keep_base=st.sampled_from([True, True, False]))
def test_any_treaty_mapping_is_a_treaty_or_invalid_input(
    states: StateIndex, fields: dict[str, Any], keep_base: bool
) -> None:
    raw = {**VALID_TREATY, **fields} if keep_base else fields
    try:
        data = _validate(raw, states)
    except InvalidInput as error:
        assert error.errors
        for message in error.errors.values():
            assert_clear(message)
        ended("treaty validation", "message")
        return
    _check_accepted(data)
    ended("treaty validation", "result")


HUGE_FIELDS = [*TEXT_LIMITS, *CHOICES, *INT_FIELDS, "slug", "strength", "signed", "replaces"]


@pytest.mark.parametrize("name", [*HUGE_FIELDS, "parties", "provisions"])
def test_a_one_megabyte_field_is_refused_with_a_short_message(
    states: StateIndex, name: str
) -> None:
    huge: Any = ("9" if name in INT_FIELDS else "x") * MB
    if name == "parties":
        huge = ["USA", {"state": "CAN", "signer": huge}]
    elif name == "provisions":
        huge = [{"article": "1", "obligation": "defence", "text": huge}]
    with pytest.raises(InvalidInput) as caught:
        _validate({**VALID_TREATY, name: huge}, states)
    assert list(caught.value.errors) == [name]
    assert_clear(str(caught.value))
    if name in TEXT_LIMITS or name in ("slug", "replaces", "parties", "provisions"):
        assert "too long" in str(caught.value)
    ended("treaty validation", "message")


SLUG_MESSAGES = ("lower-case letters, digits and single hyphens", "too long", "a slug is needed",
                 "contains")  # fmt: skip
ODD_SLUGS = [
    "ünïcode-1961", "with space", "../etc/passwd", "..", "a/b", "it's", '"quoted"', "😀",
    "x'; DROP TABLE treaty; --", "a--b", "-a", "a-", "A-B", "a_b", "a.b", "１９６１", "a\nb",
    "a\x00b", "a-b\n", " a-b ", "1961", "x" * 121, "x" * 120, "İ", "ı", "ﬁ-1961",
]  # fmt: skip


@settings(BASE, max_examples=200)
@given(slug=st.text(max_size=30) | st.sampled_from(ODD_SLUGS))
def test_slugs_match_the_documented_pattern_or_are_refused(states: StateIndex, slug: str) -> None:
    try:
        data = _validate({**VALID_TREATY, "slug": slug}, states)
    except InvalidInput as error:
        message = error.errors.get("slug")
        assert message is not None and any(m in message for m in SLUG_MESSAGES), error.errors
        assert_clear(str(error))
        ended("treaty validation", "message")
        return
    assert data.values["slug"] == slug.strip()
    assert SLUG_PATTERN.fullmatch(slug.strip()) and slug.strip().isascii()
    ended("treaty validation", "result")


EVENT_PLAUSIBLE = [
    ("on", "2021"), ("on", "July 2021"), ("kind", "ratification"), ("kind", "Entry Into Force"),
    ("description", "It's 100% \"done\"."), ("place", "Moscow"), ("treaty", "ussr-dprk-1961"),
    ("states", "RUS, PRK"), ("states", ["PRK", 731]), ("key", "2021-a-key"),
]  # fmt: skip


@settings(BASE, max_examples=200)
@given(
    fields=st.builds(
        lambda plausible, hostile: {**dict(plausible), **dict(hostile)},
        st.lists(st.sampled_from(EVENT_PLAUSIBLE)),
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["on", "kind", "title", "description", "place", "treaty", "states", "key"]
                ),
                JSONISH | NASTY | st.lists(NASTY, max_size=3),
            ),
            max_size=2,
        ),
    ),
    keep_base=st.sampled_from([True, True, False]),
)
def test_any_event_mapping_is_an_event_or_invalid_input(
    states: StateIndex, fields: dict[str, Any], keep_base: bool
) -> None:
    base = {"on": "11 July 2021", "title": "Sixtieth anniversary", "states": ["PRK"]}
    raw = {**base, **fields} if keep_base else fields
    try:
        data = validate_event(
            raw,
            states,
            treaty_exists=lambda s: s == "ussr-dprk-1961",
            key_taken=lambda _key: False,
        )
    except InvalidInput as error:
        for message in error.errors.values():
            assert_clear(message)
        ended("event validation", "message")
        return
    assert isinstance(data, EventInput) and isinstance(data.happened, PartialDate)
    assert data.values["title"] and len(data.values["title"]) <= 300
    assert data.treaty in (None, "ussr-dprk-1961")
    ended("event validation", "result")


# -- the command line -----------------------------------------------------------------------------

# Treaties whose texts carry what a search might trip over, beside the founding five.
AWKWARD = [
    {
        "slug": "aland-1921",
        "title": "Convention on the Non-Fortification of the Åland Islands",
        "summary": "Demilitarised: 100% of the islands; see Article_3 and C:\\Treaties\\aland.",
        "party": ["SWE", "FIN"],
    },
    {
        "slug": "elysee-1963",
        "title": "Élysée Treaty",
        "summary": 'The "Élysée" treaty: consult (always) before acting; NEAR OR AND NOT * ?',
        "party": ["FRA", "DEU"],
    },
    {
        "slug": "cyrillic-pact-1999",
        "title": "Договор о дружбе, сотрудничестве и взаимной помощи",
        "summary": "ДРУЖБА и СОТРУДНИЧЕСТВО",
        "party": ["RUS", "BLR"],
    },
    {
        "slug": "quoted-pact-1999",
        "title": "O'Brien's \"Quoted\" Pact'; DROP TABLE treaty; --",
        "summary": "it's 50_50 (or [not]) %s {0} \\x00",
        "party": ["USA", "CAN"],
    },
]
FOUNDING_TITLES = [
    t["title"] for t in json.loads((REPO / "fixtures" / "founding.json").read_text())["treaties"]
]
KNOWN_TEXTS = FOUNDING_TITLES + [t[k] for t in AWKWARD for k in ("title", "summary", "slug")]

Runner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], seeded_db: str) -> Runner:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", seeded_db])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "unexpected error" not in err, err
        return code, out, err

    return run


@pytest.fixture(scope="module")
def awkward_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The founding records and the awkward ones, in one database shared by the tests that only
    read (searches, the filter bar); at the end every table must be as it was."""
    server = None
    if ON_POSTGRES:
        server = request.getfixturevalue("pg_server")
        name = server.create(template=request.getfixturevalue("pg_templates")["seeded"])
        db = server.url_of(name)
    else:
        db = str(tmp_path_factory.mktemp("awkward") / "treaties.db")
        shutil.copy(request.getfixturevalue("seeded_template"), db)
    for treaty in AWKWARD:
        code = main(
            [
                "add", f"--slug={treaty['slug']}", f"--title={treaty['title']}",
                f"--summary={treaty['summary']}", *(f"--party={p}" for p in treaty["party"]),
                "--db", db,
            ]
        )  # fmt: skip
        assert code == 0
    before = dump_database(db)
    yield db
    assert dump_database(db) == before, "a search or a filter wrote to the database"
    if server is not None:
        server.drop(name)


@pytest.fixture(scope="module")
def awkward_corpus(awkward_db: str) -> dict[str, list[str]]:
    return _corpus(awkward_db)


@pytest.fixture
def awkward_cli(capsys: pytest.CaptureFixture[str], awkward_db: str) -> Runner:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([*argv, "--db", awkward_db])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        assert "unexpected error" not in err, err
        return code, out, err

    return run


Tables = Callable[[], dict[str, list[tuple]]]


@pytest.fixture
def tables(seeded_engine: Engine) -> Tables:
    """Every row of the test's database, to show that a refused command wrote nothing."""
    return lambda: dump_database(seeded_engine)


def assert_refused(code: int, out: str, err: str) -> None:
    assert code == 1, (code, out[:300], err[:300])
    assert out == ""
    assert err.startswith(PROG_ERROR) and err.endswith("\n") and err.count("\n") == 1, err[:300]
    assert_clear(err.rstrip("\n"))


def _corpus(db: str) -> dict[str, list[str]]:
    """slug -> every text a search looks in."""
    engine = make_engine(database_url(db))
    try:
        with Session(engine) as session:
            texts: dict[str, list[str]] = {}
            ids = {}
            for row in session.exec(select(Treaty)).all():
                ids[row.id] = row.slug
                texts[row.slug] = [
                    t for t in (row.title, row.short_title, row.slug, row.summary, row.notes) if t
                ]
            for p in session.exec(select(Provision)).all():
                texts[ids[p.treaty_id]] += [t for t in (p.text, p.conditions) if t]
    finally:
        engine.dispose()
    return texts


def expected_matches(corpus: dict[str, list[str]], search: str) -> set[str]:
    if not search:
        return set(corpus)
    wanted = search.lower()
    return {slug for slug, texts in corpus.items() if any(wanted in t.lower() for t in texts)}


SEARCH_TOKENS = [
    "%", "_", "\\", "'", '"', "*", "(", ")", "[", "]", "^", "?", "NEAR", " OR ", "AND NOT",
    "'; DROP TABLE treaty; --", "100%", "50_50", "ESCAPE", "--", "/*", ";", "{0}", "%s", "\x00",
]  # fmt: skip


@st.composite
def fragments(draw: st.DrawFn) -> str:
    """A piece of a title or summary that is in the database, as typed or in another case."""
    text = draw(st.sampled_from(KNOWN_TEXTS))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 25)))
    change = draw(st.sampled_from([str, str.upper, str.lower, str.swapcase]))
    return change(text[start:end])


SEARCHES = (
    fragments()
    | st.lists(st.sampled_from(SEARCH_TOKENS) | st.text(max_size=3), min_size=1, max_size=4).map(
        "".join
    )
    | st.text(max_size=20)
)


def _search_outcome(run: Runner, command: list[str], search: str) -> str | None:
    """The output of a search, or None when it was refused (as it must be for a NUL)."""
    code, out, err = run(*command, f"--search={search}")
    if "\x00" in search or len(search) > SEARCH_MAX:
        assert_refused(code, out, err)
        assert "--search" in err
        return None
    assert code == 0 and err == "", err
    return out


@settings(BASE, max_examples=30)
@given(search=SEARCHES)
def test_list_search_finds_exactly_the_treaties_holding_the_text(
    awkward_cli: Runner, awkward_corpus: dict[str, list[str]], search: str
) -> None:
    corpus = awkward_corpus
    out = _search_outcome(awkward_cli, ["list", "--json"], search)
    if out is None:
        ended("command line", "message")
        return
    found = [t["slug"] for t in json.loads(out)]
    assert len(found) == len(set(found))
    assert set(found) == expected_matches(corpus, search), search
    ended("command line", "result")


@settings(BASE, max_examples=20)
@given(search=SEARCHES)
def test_export_search_selects_what_list_does(
    awkward_cli: Runner, awkward_corpus: dict[str, list[str]], search: str
) -> None:
    corpus = awkward_corpus
    out = _search_outcome(awkward_cli, ["export", "--format", "json"], search)
    if out is None:
        ended("command line", "message")
        return
    found = {t["slug"] for t in json.loads(out)["treaties"]}
    assert found == expected_matches(corpus, search), search
    ended("command line", "result")


@pytest.fixture(scope="module")
def awkward_engine(awkward_db: str) -> Iterator[Engine]:
    engine = make_engine(database_url(awkward_db))
    yield engine
    engine.dispose()


@settings(BASE, max_examples=150)
@given(search=SEARCHES)
def test_the_shared_selection_finds_exactly_the_treaties_holding_the_text(
    awkward_engine: Engine, awkward_corpus: dict[str, list[str]], search: str
) -> None:
    with Session(awkward_engine) as session:
        try:
            found = [t.slug for t in select_treaties(session, search=search)]
        except ValueError as error:
            assert "\x00" in search, search
            assert_clear(str(error))
            ended("command line", "message")
            return
    assert len(found) == len(set(found))
    assert set(found) == expected_matches(awkward_corpus, search), search
    ended("command line", "result")


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("100%", {"aland-1921"}),
        ("%", {"aland-1921", "quoted-pact-1999"}),
        ("_", None),  # founding clause texts hold some too
        ("50_50", {"quoted-pact-1999"}),
        ("\\", {"aland-1921", "quoted-pact-1999"}),
        ("'; DROP TABLE treaty; --", {"quoted-pact-1999"}),
        ("--", {"quoted-pact-1999"}),  # a value, not the end of the options
        ('"Quoted"', {"quoted-pact-1999"}),
        ('"', {"elysee-1963", "quoted-pact-1999"}),
        ("*", {"elysee-1963"}),
        ("NEAR", {"elysee-1963"}),
        ("AND NOT", {"elysee-1963"}),
        ("(always", {"elysee-1963"}),
        ("[not])", {"quoted-pact-1999"}),
        ("Åland", {"aland-1921"}),
        ("ÅLAND", {"aland-1921"}),
        ("élysée", {"elysee-1963"}),
        ("ДРУЖБЕ", {"cyrillic-pact-1999"}),
        ("Article 51", {"russia-dprk-2024"}),
        ("no such words", set()),
        ("(((", set()),
        ("'", None),  # every founding title holds "People's"
        ("People's Republic", None),
    ],
)
def test_search_strings_full_of_syntax_are_taken_literally(
    awkward_cli: Runner,
    awkward_corpus: dict[str, list[str]],
    search: str,
    expected: set[str] | None,
) -> None:
    corpus = awkward_corpus
    for command in (["list", "--json"], ["export", "--format", "json"]):
        code, out, err = awkward_cli(*command, f"--search={search}")
        assert code == 0, err
        listed = json.loads(out)
        found = {t["slug"] for t in (listed if command[0] == "list" else listed["treaties"])}
        assert found == expected_matches(corpus, search)
        if expected is not None:
            assert found == expected
        ended("command line", "result")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--search=\x00"], "--search: contains a NUL character"),
        (["--search=Åland\x00; DROP TABLE treaty"], "NUL"),
        (["--search=a\udcff"], "not UTF-8"),
        ([f"--search={'x' * (SEARCH_MAX + 1)}"], "--search: too long"),
        ([f"--search={'%' * (SEARCH_MAX + 1)}"], "--search: too long"),
        (["--limit=-1"], "--limit"),
        ([f"--limit={10**30}"], "--limit"),
        (["--min-strength=²"], "not on the scale"),
        ([f"--min-strength={'9' * 5000}"], "not on the scale"),
        (["--party=²"], "no state matches"),
        ([f"--party={'7' * 5000}"], "no state matches"),
        ([f"--party={'x' * MB}"], "no state matches"),
        (["--in-force-on=0"], "no four-digit year"),
        (["--in-force-on=-44"], "BC/BCE"),
        (["--between", "2000", "1990"], "is before"),
        (["--between", "9999", "10000"], "too long"),
    ],
)
@pytest.mark.parametrize("command", ["list", "export"])
def test_hostile_filters_are_refused_in_one_line(
    awkward_cli: Runner, awkward_engine: Engine, command: str, argv: list[str], message: str
) -> None:
    before = dump_database(awkward_engine)
    code, out, err = awkward_cli(command, *argv)
    assert_refused(code, out, err)
    assert message in err
    assert dump_database(awkward_engine) == before
    ended("command line", "message")


TEXT_OPTIONS = {
    "title": "title", "short-title": "short_title", "signed-place": "signed_place",
    "term-note": "term_note", "strength-clause": "strength_clause",
    "strength-note": "strength_note", "summary": "summary", "notes": "notes",
    "unts": "unts_number", "wikidata": "wikidata_id",
}  # fmt: skip
DATE_OPTIONS = {"signed": "signed", "in-force": "in_force", "ended": "ended"}
CHOICE_OPTIONS = {"kind": "kind", "end-reason": "end_reason", "renewal": "renewal"}
INT_OPTIONS = {"term-months": "term_months", "renewal-months": "renewal_months",
               "atop-id": "atop_id", "cow-id": "cow_id"}  # fmt: skip
OTHER_OPTIONS = ["slug", "replaces", "strength"]
ADD_OPTIONS = [*TEXT_OPTIONS, *DATE_OPTIONS, *CHOICE_OPTIONS, *INT_OPTIONS, *OTHER_OPTIONS]
_serial = itertools.count(1)


def _stored_as_typed(option: str, typed: str, stored: dict[str, Any]) -> None:
    """The field `option` of the treaty shown is what `typed` means."""
    blank = not typed.strip()
    if option in TEXT_OPTIONS:
        assert stored[TEXT_OPTIONS[option]] == (None if blank else typed.strip())
    elif option in DATE_OPTIONS:
        expected = None if blank else parse_date(typed).iso()
        assert stored[DATE_OPTIONS[option]] == expected
    elif option in CHOICE_OPTIONS:
        cleaned = typed.strip().lower().replace("_", "-").replace(" ", "-")
        default = "other" if option == "kind" else None
        assert stored[CHOICE_OPTIONS[option]] == (default if blank else cleaned)
    elif option in INT_OPTIONS:
        assert stored[INT_OPTIONS[option]] == (None if blank else int(typed.strip()))
    elif option == "strength":
        assert stored["strength"] == (None if blank else parse_strength(typed))
    elif option == "slug":
        assert stored["slug"] == typed.strip()
    elif option == "replaces":
        assert stored["replaces"] == (None if blank else typed.strip())


@settings(BASE, max_examples=30)
@given(
    options=st.dictionaries(st.sampled_from(ADD_OPTIONS), NASTY, max_size=4),
    parties=st.lists(NASTY, max_size=2),
    provisions=st.lists(NASTY, max_size=2),
)
def test_add_with_hostile_option_values(
    cli: Runner, tables: Tables, options: dict[str, str], parties: list[str], provisions: list[str]
) -> None:
    values = {"slug": f"hostile-pact-{next(_serial)}", "title": "Hostile Pact", **options}
    argv = [f"--{option}={value}" for option, value in values.items()]
    argv += [f"--party={p}" for p in ["USA", "CAN", *parties]]
    argv += [f"--provision={p}" for p in provisions]
    before = tables()
    code, out, err = cli("add", *argv)
    if code != 0:
        assert_refused(code, out, err)
        assert tables() == before
        ended("command line", "message")
        return
    slug = values["slug"].strip()
    assert out.startswith(f"added {slug}: ") and out.count("\n") == 1 and err == ""
    code, out, err = cli("show", slug, "--json")
    assert code == 0, err
    stored = json.loads(out)
    for option, typed in values.items():
        _stored_as_typed(option, typed, stored)
    assert len(stored["provisions"]) == len(provisions)
    ended("command line", "result")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([f"--title={'x' * MB}"], "Title: too long (1000000 characters; at most 500)"),
        ([f"--summary={'x' * MB}"], "Summary: too long"),
        ([f"--kind={'x' * MB}"], "Kind: "),
        ([f"--atop-id={'9' * MB}"], "ATOP id: "),
        ([f"--strength={'4' * MB}"], "not on the scale"),
        ([f"--signed={'1' * MB}"], "Signed: "),
        ([f"--party={'x' * MB}"], "no state matches"),
        ([f"--provision=1:defence:{'x' * MB}"], "Provisions: provision 1: too long"),
        ([f"--replaces={'x' * 121}"], "Replaces (slug): too long"),
        (["--title=Nul\x00Pact"], "Title: contains a NUL character"),
        (["--title=\udcff\udcfe"], "Title: contains bytes that are not UTF-8 text"),
        (["--notes=a\x00"], "Notes: contains a NUL character"),
        (["--slug=../etc/passwd"], "lower-case letters"),
        (["--slug=x'; DROP TABLE treaty; --"], "lower-case letters"),
        (["--slug=😀"], "lower-case letters"),
        (["--slug=ussr-dprk-1961"], "already used"),
        (["--party=²"], "no state matches"),
        (["--term-months=²"], "is not a whole number"),
        (["--term-months=1e3"], "is not a whole number"),
        ([f"--term-months={10**30}"], "number too large"),
        (["--signed=06/07/1961"], "ambiguous"),
        (["--signed=44 BC"], "BC/BCE"),
        (["--signed=0"], "no four-digit year"),
        (["--strength=nan"], "not on the scale"),
    ],
)
def test_hostile_add_options_are_refused_in_one_line(
    cli: Runner, tables: Tables, argv: list[str], message: str
) -> None:
    before = tables()
    base = ["--slug=refused-pact-1999", "--title=Refused Pact", "--party=USA", "--party=CAN"]
    code, out, err = cli("add", *base, *argv)
    assert_refused(code, out, err)
    assert message in err
    assert tables() == before
    ended("command line", "message")


def test_a_double_dash_is_a_value_like_any_other(cli: Runner) -> None:
    # Older Pythons' argparse dropped "--" given as an option's value and stored [] instead.
    code, out, err = cli(
        "add", "--slug=dash-pact-1999", "--title=--", "--notes=--", "--party=USA", "--party=CAN",
        "--provision=1:defence:--",
    )  # fmt: skip
    assert code == 0, err
    stored = json.loads(cli("show", "dash-pact-1999", "--json")[1])
    assert (stored["title"], stored["notes"], stored["provisions"][0]["text"]) == ("--",) * 3
    code, out, err = cli("add", "--slug=dash-pact-2000", "--title=T", "--party=--", "--party=CAN")
    assert_refused(code, out, err)
    assert "no state matches '--'" in err
    ended("command line", "result")
    ended("command line", "message")


@settings(BASE, max_examples=20)
@given(fields=FIELDS)
def test_add_from_a_file_of_any_json_object(
    cli: Runner, tables: Tables, tmp_path: Path, fields: dict[str, Any]
) -> None:
    record = {**VALID_TREATY, "slug": f"file-pact-{next(_serial)}", **fields}
    path = tmp_path / "treaty.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    before = tables()
    code, out, err = cli("add", "--file", str(path))
    if code != 0:
        assert_refused(code, out, err)
        assert tables() == before
        ended("command line", "message")
        return
    slug = str(record["slug"]).strip()
    assert cli("show", slug, "--json")[0] == 0
    ended("command line", "result")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not valid JSON"),
        (b"[1, 2]", "one JSON object"),
        (b'{"slug": "x", "title": ', "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"atop_id": ' + b"1" * 5000 + b"}", "a number too long to read"),
        ('{"title": "Traité"}'.encode("latin-1"), "not UTF-8"),
        ('{"title": "T"}'.encode("utf-16"), "not UTF-8"),
        (bytes(range(256)) * 4, "not UTF-8"),
    ],
)
def test_add_from_a_broken_file_is_refused_in_one_line(
    cli: Runner, tables: Tables, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "treaty.json"
    path.write_bytes(content)
    before = tables()
    code, out, err = cli("add", "--file", str(path))
    assert_refused(code, out, err)
    assert message in err and str(path) in err
    assert tables() == before
    ended("command line", "message")


# -- imports --------------------------------------------------------------------------------------

GOOD = {"slug": "imported-pact-1999", "title": "Imported Pact", "signed": "1999-07",
        "parties": ["USA", "CAN"]}  # fmt: skip
HEADER = "slug,title,signed,parties\n"
GOOD_ROW = "imported-pact-1999,Imported Pact,1999-07,USA;CAN\n"


def _json(document: Any) -> bytes:
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def _treaty(**changes: Any) -> bytes:
    return _json({"treaties": [{**GOOD, **changes}]})


def _event(**changes: Any) -> bytes:
    return _json({"events": [{"key": "e-1", "on": "1999", "title": "An event", **changes}]})


def _at(content: bytes, marker: str, *said: str) -> tuple[bytes, list[str]]:
    """The content, and the message naming the line of the first `marker` in it."""
    lines = content.split(b"\n")
    line = next(n for n, text in enumerate(lines, start=1) if marker.encode() in text)
    return content, [f"line {line}", *said]


# file name -> (content, what the message says besides the file name)
BROKEN_IMPORTS: dict[str, tuple[bytes, list[str]]] = {
    "number-for-list.json": _at(_treaty(parties=5), '"parties"', "column parties", "a list"),
    "list-for-object.json": (_json([GOOD]), ["line 1", "expected a JSON object"]),
    "treaty-is-a-list.json": (_json({"treaties": [[1, 2]]}), ["line 3", "must be an object"]),
    "treaties-object.json": (
        _json({"treaties": {"a": 1}}),
        ["line 2", '"treaties" must be a list'],
    ),
    "provisions-number.json": (_treaty(provisions=5), ["column provisions"]),
    "provision-list.json": (_treaty(provisions=[[1]]), ["column provisions"]),
    "party-list.json": (_treaty(parties=[[1], "CAN"]), ["column parties"]),
    "party-sources.json": (
        _treaty(parties=[{"state": "USA", "sources": 5}, "CAN"]),
        ["column parties"],
    ),
    "sources-number.json": (_json({"sources": 5}), ['"sources" must be a list']),
    "source-title-number.json": (
        _json({"sources": [{"key": "k", "title": 5}]}),
        ["line 5", "column title", "must be text"],
    ),
    "missing-title.json": (
        _json({"treaties": [{"slug": "x-1", "parties": ["USA", "CAN"]}]}),
        ["line 3", "column title", "a title is needed"],
    ),
    "missing-slug.json": (_json({"treaties": [{"title": "T"}]}), ["line 3", "no slug"]),
    "slug-number.json": (_treaty(slug=5), ["column slug"]),
    "unknown-field.json": _at(_treaty(colour="red"), '"colour"', "column colour", "unknown field"),
    "unknown-key.json": (_json({"treaties": [GOOD], "extra": 1}), ["unknown key 'extra'"]),
    "huge-title.json": (_treaty(title="x" * MB), ["column title", "too long (1000000"]),
    "huge-kind.json": (_treaty(kind="x" * MB), ["column kind", "is not one of"]),
    "huge-atop-id.json": (_treaty(atop_id="1" * 5000), ["column atop_id", "not a whole number"]),
    "huge-number.json": (b'{"treaties": [{"atop_id": ' + b"1" * 5000 + b"}]}", ["too long"]),
    "replaces-number.json": (_treaty(replaces=5), ["column replaces", "not a slug"]),
    "replaces-long.json": (_treaty(replaces="x" * 200), ["column replaces", "too long"]),
    "strength-superscript.json": (_treaty(strength="²"), ["column strength", "not on the scale"]),
    "strength-nan.json": (_treaty(strength=float("nan")), ["column strength"]),
    "nul-title.json": (_treaty(title="a\x00b"), ["column title", "NUL"]),
    "event-states-number.json": (_event(states=5), ["column states"]),
    "event-sources-number.json": (_event(sources=5), ["column sources", "must be a list"]),
    "event-sources-text.json": (_event(sources="abc"), ["column sources", "must be a list"]),
    "event-treaty-long.json": (_event(treaty="x" * 200), ["column treaty", "too long"]),
    "event-list.json": (_json({"events": [[1]]}), ["must be an object"]),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    "deep-inside.json": (b'{"treaties": [' + b"[" * 5000 + b"]" * 5000 + b"]}", ["too deeply"]),
    "twice.json": (_json({"treaties": [GOOD, GOOD]}), ["appears twice"]),
    "format.json": (_json({"format": [1], "treaties": [GOOD]}), ["format"]),
    "empty.json": (b"", ["line 1", "column 1", "not valid JSON"]),
    "blank.json": (b"  \n\n", ["line 3", "not valid JSON"]),
    "truncated.json": (_treaty()[:-9], ["not valid JSON"]),
    "latin-1.json": (
        json.dumps({"treaties": [{**GOOD, "title": "Traité"}]}, ensure_ascii=False).encode(
            "latin-1"
        ),
        ["not UTF-8 text"],
    ),
    "utf-16.json": (_treaty().decode().encode("utf-16"), ["not UTF-8 text"]),
    "utf-16-be.json": (b"\xfe\xff" + _treaty().decode().encode("utf-16-be"), ["not UTF-8 text"]),
    "utf-32.json": (_treaty().decode().encode("utf-32"), ["not UTF-8 text"]),
    "garbage.json": (bytes(range(256)) * 8, ["not UTF-8 text"]),
    "nul.csv": ((HEADER + "imported-a,Ti\x00tle,1999,USA;CAN\n").encode(), ["line 2", "title"]),
    "nul-slug.csv": ((HEADER + "imp\x00a,Title,1999,USA;CAN\n").encode(), ["line 2", "slug"]),
    "more-columns.csv": (
        (HEADER + "imported-a,Title,1999,USA;CAN,extra\n").encode(),
        ["line 2", "5 fields where the header names 4"],
    ),
    "fewer-columns.csv": ((HEADER + "imported-a,Title\n").encode(), ["line 2", "2 fields"]),
    "unknown-column.csv": (b"slug,title,colour\nx-1,T,red\n", ["line 1", "column 3", "colour"]),
    "provisions-column.csv": (b"slug,title,provisions\nx-1,T,x\n", ["line 1", "import them as"]),
    "no-slug-column.csv": (b"title,parties\nT,USA;CAN\n", ["line 1", "no slug column"]),
    "twice-column.csv": (b"slug,title,Title\nx-1,T,T\n", ["line 1", "appears twice"]),
    "empty.csv": (b"", ["empty file"]),
    "unterminated.csv": ((HEADER + 'imported-a,"Title,1999,USA;CAN\n').encode(), ["broken CSV"]),
    "huge-field.csv": ((HEADER + "x-1," + "x" * 200_000 + ",1999,USA;CAN\n").encode(), ["line 2"]),
    "huge-title.csv": (
        (HEADER + "x-1," + "x" * 100_000 + ",1999,USA;CAN\n").encode(),
        ["line 2", "column title", "too long"],
    ),
    "bad-flag.csv": (
        b"slug,title,parties,indefinite\nx-1,T,USA;CAN,maybe\n",
        ["line 2", "column indefinite"],
    ),
    "bad-party.csv": ((HEADER + "x-1,T,1999,USA;Narnia\n").encode(), ["line 2", "column parties"]),
    "bad-date.csv": ((HEADER + "x-1,T,06/07/1961,USA;CAN\n").encode(), ["line 2", "column signed"]),
    "second-row-bad.csv": (
        (HEADER + GOOD_ROW + "x-2,T,1999,USA\n").encode(),
        ["line 3", "column parties"],
    ),
    "latin-1.csv": ((HEADER + "x-1,Traité,1999,USA;CAN\n").encode("latin-1"), ["not UTF-8"]),
    "utf-16.csv": ((HEADER + GOOD_ROW).encode("utf-16"), ["not UTF-8"]),
    "garbage.csv": (bytes(range(255, -1, -1)) * 8, ["not UTF-8"]),
}
VALID_IMPORTS: dict[str, bytes] = {
    "valid.json": _treaty(),
    "bom.json": b"\xef\xbb\xbf" + _treaty(),
    "cow-code-party.json": _treaty(parties=[{"state": 2}, "CAN"]),
    "valid.csv": (HEADER + GOOD_ROW).encode(),
    "bom.csv": b"\xef\xbb\xbf" + (HEADER + GOOD_ROW).encode(),
    "crlf.csv": (HEADER + GOOD_ROW).replace("\n", "\r\n").encode(),
    "quote-inside.csv": (
        HEADER + 'imported-pact-1999,"Imported ""Pact""",1999-07,USA;CAN\n'
    ).encode(),
}


@pytest.mark.parametrize("name", list(BROKEN_IMPORTS))
def test_a_broken_import_is_refused_naming_the_file(
    cli: Runner, tables: Tables, tmp_path: Path, name: str
) -> None:
    content, said = BROKEN_IMPORTS[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = tables()
    code, out, err = cli("import", str(path))
    assert_refused(code, out, err)
    assert name in err
    for words in said:
        assert words in err, (words, err)
    assert tables() == before
    ended("imports", "message")


@pytest.mark.parametrize("name", list(VALID_IMPORTS))
def test_an_awkward_but_valid_import_is_taken(cli: Runner, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(VALID_IMPORTS[name])
    code, out, err = cli("import", str(path))
    assert code == 0, err
    assert "1 treaty: 1 added" in out
    code, out, _ = cli("show", "imported-pact-1999", "--json")
    stored = json.loads(out)
    assert stored["title"] == ('Imported "Pact"' if name == "quote-inside.csv" else "Imported Pact")
    assert [p["iso3"] for p in stored["parties"]] == ["USA", "CAN"]
    ended("imports", "result")


@settings(BASE, max_examples=15)
@given(cut=st.integers(1, len(_treaty()) - 1))
def test_a_json_file_cut_anywhere_is_refused(
    cli: Runner, tables: Tables, tmp_path: Path, cut: int
) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes(_treaty()[:cut])
    before = tables()
    code, out, err = cli("import", str(path))
    assert_refused(code, out, err)
    assert "cut.json" in err and ("not valid JSON" in err or "not UTF-8" in err)
    assert tables() == before
    ended("imports", "message")


@settings(BASE, max_examples=20)
@given(
    fields=FIELDS,
    top=st.dictionaries(
        st.sampled_from(["format", "exported", "selection", "sources", "events", "extra"]),
        JSONISH,
        max_size=2,
    ),
)
def test_a_json_import_of_any_values(
    cli: Runner, tables: Tables, tmp_path: Path, fields: dict[str, Any], top: dict[str, Any]
) -> None:
    record = {**GOOD, "slug": f"imported-pact-{next(_serial)}", **fields}
    path = tmp_path / "any.json"
    path.write_bytes(_json({**top, "treaties": [record]}))
    before = tables()
    code, out, err = cli("import", str(path))
    if code != 0:
        assert_refused(code, out, err)
        assert "any.json" in err
        assert tables() == before
        ended("imports", "message")
        return
    assert cli("show", str(record["slug"]).strip(), "--json")[0] == 0
    ended("imports", "result")


CSV_EXTRAS = [c for c in LABELS if c not in ("slug", "title", "parties", "provisions")]


@settings(BASE, max_examples=20)
@given(
    extras=st.lists(
        st.sampled_from(
            [(k, str(v)) for k, values in PLAUSIBLE.items() if k in CSV_EXTRAS for v in values]
        )
        | st.tuples(st.sampled_from(CSV_EXTRAS), NASTY),
        max_size=3,
    ).map(dict),
    parties=NASTY | st.sampled_from(["USA;CAN", "USA; CAN:signatory", "2;20"]),
)
def test_a_csv_import_of_any_cells(
    cli: Runner, tables: Tables, tmp_path: Path, extras: dict[str, str], parties: str
) -> None:
    row = {"slug": f"imported-pact-{next(_serial)}", "title": "Imported", "parties": parties}
    row.update(extras)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(row))
    writer.writerow(list(row.values()))
    path = tmp_path / "any.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    before = tables()
    code, out, err = cli("import", str(path))
    if code != 0:
        assert_refused(code, out, err)
        assert "any.csv" in err and "line" in err
        assert tables() == before
        ended("imports", "message")
        return
    code, out, _ = cli("show", row["slug"], "--json")
    assert code == 0
    stored = json.loads(out)
    for name, typed in extras.items():
        if name in TEXT_LIMITS:
            assert stored[name] == (typed.strip() or None)
    ended("imports", "result")


# -- the filter bar -------------------------------------------------------------------------------


def _titles(engine: Engine) -> dict[str, list[str]]:
    """slug -> the texts the filter bar's words look in."""
    with Session(engine) as session:
        return {
            t.slug: [x for x in (t.title, t.short_title, t.slug) if x]
            for t in session.exec(select(Treaty)).all()
        }


def _typed(*plausible: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["", "", *plausible]) | st.sampled_from(["", *plausible]) | NASTY


@settings(BASE, max_examples=150)
@given(
    party=_typed("PRK", "Russia", "731", "china"),
    period=_typed(
        "1950", "July 1961", "2000-01-01..2024", "1950 to 1990", "..6 July 1961", "1961.."
    ),
    min_strength=_typed("0", "3", "automatic defence"),
    text=st.just("") | NASTY | fragments(),
)
def test_the_filter_bar_takes_any_text(
    awkward_engine: Engine,
    party: str,
    period: str,
    min_strength: str,
    text: str,
) -> None:
    wanted = BrowseFilter(party, period, min_strength, text)
    try:
        state = apply_filter(awkward_engine, wanted, today=dt.date(2025, 1, 1))
    except (ValueError, LookupError) as error:
        message = str(error.args[0] if error.args else error)
        assert_clear(message)
        ended("filter bar", "message")
        return
    assert isinstance(state, BrowseState) and state.count >= 0 and state.first <= state.last
    # Every row the count promises is there to page through, and no more.
    rows = fetch_page(awkward_engine, state.filter, 0, pages=state.count // PAGE_SIZE + 1)
    assert len(rows) == state.count, text
    if not (party.strip() or period.strip() or min_strength.strip() or text.strip()):
        assert state.count == len(_titles(awkward_engine))
    ended("filter bar", "result")


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_TOKEN = re.compile(r"[^\W_]+")


@settings(BASE, max_examples=150)
@given(text=st.just("") | NASTY | fragments())
@example(text="0")  # in three titles, starting none of their words
@example(text="SÉ")  # PostgreSQL finds it inside "Élysée"
@example(text="aty of Fri")
def test_the_filter_bar_search_finds_the_treaties_whose_words_start_so(
    awkward_engine: Engine, text: str
) -> None:
    """Each word typed starts a word of the title, short title or slug of every treaty found;
    and, on SQLite, every treaty with such words is found (checked for ASCII words).
    PostgreSQL's parser splits words its own way (in "aland-1921" it reads "-1921", a
    number, so "1921" does not find it): there, only what ASCII words find is checked. A
    piece from inside a word finds nothing, by design."""
    try:
        state = apply_filter(awkward_engine, BrowseFilter(text=text), today=dt.date(2025, 1, 1))
    except ValueError as error:
        assert_clear(str(error.args[0] if error.args else error))
        ended("filter bar", "message")
        return
    rows = fetch_page(awkward_engine, state.filter, 0, pages=state.count // PAGE_SIZE + 1)
    found = {row.slug for row in rows}
    assert len(found) == len(rows) == state.count, text
    typed = search_words(text)
    words = [_folded(word) for word in typed]
    ascii_only = all(word.isascii() for word in typed)
    for slug, shown in _titles(awkward_engine).items():
        tokens = _TOKEN.findall(_folded(" ".join(shown)))
        if not words:
            continue
        starts = all(any(token.startswith(word) for token in tokens) for word in words)
        if slug in found:
            # PostgreSQL looks for a word with letters beyond ASCII anywhere in the titles
            # (its C locale folds ASCII letters only); SQLite folds accents as this does.
            assert starts or (ON_POSTGRES and not ascii_only), (text, slug)
        elif ascii_only and not ON_POSTGRES:
            assert not starts, (text, slug)
    if not text.strip():
        assert found == set(_titles(awkward_engine))
    ended("filter bar", "result")


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        (BrowseFilter(text="a\x00b"), "NUL"),
        (BrowseFilter(text="x" * (SEARCH_MAX + 1)), "too long"),
        (BrowseFilter(party="²"), "no state matches"),
        (BrowseFilter(party="9" * 5000), "no state matches"),
        (BrowseFilter(min_strength="²"), "not on the scale"),
        (BrowseFilter(min_strength="9" * 5000), "not on the scale"),
        (BrowseFilter(period="2000..1990"), "before it starts"),
        (BrowseFilter(period="44 BC"), "BC/BCE"),
        (BrowseFilter(period="1950..44 BC"), "BC/BCE"),
        (BrowseFilter(period="1950..1960..1970"), "one date or two"),
    ],
)
def test_the_filter_bar_refuses_with_a_message(
    awkward_engine: Engine, wanted: BrowseFilter, message: str
) -> None:
    with pytest.raises((ValueError, LookupError)) as caught:
        apply_filter(awkward_engine, wanted)
    said = str(caught.value.args[0] if caught.value.args else caught.value)
    assert message in said
    assert_clear(said)
    ended("filter bar", "message")


@pytest.mark.parametrize(
    ("words", "slug"),
    [("Åland", "aland-1921"), ("ÉLYSÉE", "elysee-1963"), ("договор", "cyrillic-pact-1999"),
     ("100%", None)],
)  # fmt: skip
def test_the_filter_bar_finds_words_in_any_case(
    awkward_engine: Engine, words: str, slug: str | None
) -> None:
    state = apply_filter(awkward_engine, BrowseFilter(text=words))
    assert state.count == (1 if slug else 0)
    ended("filter bar", "result")

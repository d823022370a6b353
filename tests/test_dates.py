import datetime

import pytest
from dateutil.relativedelta import relativedelta

from timeline.dates import (
    DateError,
    DateOrder,
    PartialDate,
    Precision,
    describe_duration,
    duration,
    format_duration,
    parse_date,
    parse_optional_date,
    partial,
)

D = datetime.date
DAY, MONTH, YEAR = Precision.DAY, Precision.MONTH, Precision.YEAR


# --- accepted forms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1961", D(1961, 1, 1), YEAR),
        ("2024", D(2024, 1, 1), YEAR),
        ("500", D(500, 1, 1), YEAR),
        ("0061", D(61, 1, 1), YEAR),
        ("July 1961", D(1961, 7, 1), MONTH),
        ("Jul 1961", D(1961, 7, 1), MONTH),
        ("Sept 1961", D(1961, 9, 1), MONTH),
        ("1961 July", D(1961, 7, 1), MONTH),
        ("1961-07", D(1961, 7, 1), MONTH),
        ("07/1961", D(1961, 7, 1), MONTH),
        ("7/1961", D(1961, 7, 1), MONTH),
        ("12.1961", D(1961, 12, 1), MONTH),
        ("6 July 1961", D(1961, 7, 6), DAY),
        ("July 6, 1961", D(1961, 7, 6), DAY),
        ("July 6 1961", D(1961, 7, 6), DAY),
        ("6 Jul 1961", D(1961, 7, 6), DAY),
        ("1961-07-06", D(1961, 7, 6), DAY),
        ("1961/07/06", D(1961, 7, 6), DAY),
        ("1961-7-6", D(1961, 7, 6), DAY),
        ("1961 July 6", D(1961, 7, 6), DAY),
        ("19 Jun 2024", D(2024, 6, 19), DAY),
        ("June 19, 2024", D(2024, 6, 19), DAY),
        ("19 June 2024", D(2024, 6, 19), DAY),
        ("2024-06-19", D(2024, 6, 19), DAY),
        ("29 Feb 2024", D(2024, 2, 29), DAY),
        ("31 December 9999", D(9999, 12, 31), DAY),
        ("1 Jan 0001", D(1, 1, 1), DAY),
    ],
)
def test_parse_accepted_forms(text: str, value: datetime.date, precision: Precision) -> None:
    parsed = parse_date(text)
    assert parsed.value == value
    assert parsed.precision is precision


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("  6 July 1961  ", D(1961, 7, 6), DAY),
        ("\t1961\n", D(1961, 1, 1), YEAR),
        ("6 JULY 1961", D(1961, 7, 6), DAY),
        ("6 july 1961", D(1961, 7, 6), DAY),
        ("jULy 1961", D(1961, 7, 1), MONTH),
        ("6th July 1961", D(1961, 7, 6), DAY),
        ("1st March 1961", D(1961, 3, 1), DAY),
        ("22nd Jan 1961", D(1961, 1, 22), DAY),
        ("3RD Jan 1961", D(1961, 1, 3), DAY),
        ("July 6th, 1961", D(1961, 7, 6), DAY),
        ("6 Jul. 1961", D(1961, 7, 6), DAY),
        ("Jul. 6, 1961", D(1961, 7, 6), DAY),
        ("6 July 1961.", D(1961, 7, 6), DAY),
        ("6  July   1961", D(1961, 7, 6), DAY),
    ],
)
def test_parse_tolerates_case_spacing_ordinals_and_periods(
    text: str, value: datetime.date, precision: Precision
) -> None:
    parsed = parse_date(text)
    assert (parsed.value, parsed.precision) == (value, precision)


@pytest.mark.parametrize("text", ["July 1961", "Jul 1961", "1961-07", "07/1961", "july 1961"])
def test_month_and_year_never_becomes_day_precision(text: str) -> None:
    parsed = parse_date(text)
    assert parsed.precision is MONTH
    assert parsed.display() == "July 1961"
    assert parsed.iso() == "1961-07"


def test_year_alone_is_year_precision_whatever_today_is() -> None:
    parsed = parse_date("1961")
    assert parsed.precision is YEAR
    assert parsed.display() == "1961"
    assert parsed.iso() == "1961"


# --- numeric day/month order -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["19/06/2024", "06/19/2024", "19.6.2024", "6-19-2024"])
def test_numeric_forms_with_a_number_over_12_are_unambiguous(text: str) -> None:
    parsed = parse_date(text)
    assert (parsed.value, parsed.precision) == (D(2024, 6, 19), DAY)


def test_numeric_form_with_equal_day_and_month_reads_the_same_either_way() -> None:
    assert parse_date("06/06/1961").value == D(1961, 6, 6)


@pytest.mark.parametrize("text", ["06/07/1961", "6.7.1961", "06-07-1961", "6/7/1961", "06 07 1961"])
def test_ambiguous_numeric_forms_refused_in_strict_mode(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    message = str(info.value)
    assert "ambiguous" in message
    assert "6 July 1961" in message
    assert "June 7, 1961" in message
    assert "1961-07-06" in message
    assert "month as a word" in message
    assert "day-first" in message and "month-first" in message
    assert "\n" not in message


def test_ambiguous_message_matches_the_documented_wording() -> None:
    with pytest.raises(DateError) as info:
        parse_date("06/07/1961")
    assert str(info.value) == (
        '"06/07/1961" is ambiguous: it could be 6 July 1961 or June 7, 1961. Type the month as a '
        "word (6 July 1961) or use ISO 1961-07-06, or choose day-first or month-first."
    )


@pytest.mark.parametrize(
    ("order", "value"),
    [
        (DateOrder.DAY_FIRST, D(1961, 7, 6)),
        (DateOrder.MONTH_FIRST, D(1961, 6, 7)),
        ("day-first", D(1961, 7, 6)),
        ("month-first", D(1961, 6, 7)),
    ],
)
def test_ambiguous_numeric_forms_follow_the_chosen_order(
    order: DateOrder | str, value: datetime.date
) -> None:
    for text in ("06/07/1961", "6.7.1961", "06-07-1961"):
        parsed = parse_date(text, order)
        assert (parsed.value, parsed.precision) == (value, DAY)


@pytest.mark.parametrize("order", list(DateOrder))
def test_iso_forms_ignore_the_order(order: DateOrder) -> None:
    assert parse_date("1961-07-06", order).value == D(1961, 7, 6)
    assert parse_date("1961-07", order).value == D(1961, 7, 1)


def test_day_first_refuses_a_month_over_12_and_suggests_the_other_reading() -> None:
    with pytest.raises(DateError) as info:
        parse_date("06/19/2024", DateOrder.DAY_FIRST)
    message = str(info.value)
    assert "day-first" in message
    assert "month 19" in message
    assert "19 June 2024" in message
    assert "2024-06-19" in message


def test_month_first_refuses_a_month_over_12() -> None:
    with pytest.raises(DateError) as info:
        parse_date("19/06/2024", DateOrder.MONTH_FIRST)
    assert "month 19" in str(info.value)


def test_month_first_reads_month_then_day() -> None:
    assert parse_date("06/19/2024", DateOrder.MONTH_FIRST).value == D(2024, 6, 19)


def test_day_first_reads_day_then_month() -> None:
    assert parse_date("19/06/2024", DateOrder.DAY_FIRST).value == D(2024, 6, 19)


def test_unknown_order_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="day-first"):
        parse_date("1961", "sideways")


# --- refused input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ["no date given", "6 July 1961"]),
        ("   ", ["no date given"]),
        ("31 Feb 2024", ["February 2024", "31st", "29 days"]),
        ("29 Feb 1900", ["February 1900", "29th"]),
        ("31/04/1961", ["April 1961", "31st"]),
        ("1961-02-30", ["February 1961", "30th"]),
        ("1961-07-00", ["day 0"]),
        ("0/5/2024", ["day 0"]),
        ("1961-13-01", ["month 13", "1 to 12"]),
        ("13/1961", ["month 13"]),
        ("1961-00", ["month 0"]),
        ("13/13/2024", ["13", "month"]),
        ("next Tuesday", ["not a calendar date", "6 July 1961"]),
        ("yesterday", ["not a calendar date"]),
        ("today", ["not a calendar date"]),
        ("3 days ago", ["not a calendar date"]),
        ("Tuesday", ["not a calendar date"]),
        ("soon", ["not a calendar date"]),
        ("abc", ["not a date", "6 July 1961"]),
        ("6 juillet 1961", ["juillet", "not a month name"]),
        ("12345678901234567890", ["too long", "9999"]),
        ("10000", ["too long", "9999"]),
        ("19610706", ["too long"]),
        ("0000", ["year 0", "BC"]),
        ("-500", ["BC"]),
        ("500 BC", ["BC", "not supported"]),
        ("500 BCE", ["BC", "not supported"]),
        ("44 B.C.", ["BC", "not supported"]),
        ("1066 AD", ["AD"]),
        ("1961-07-06 10:00", ["time", "just the date"]),
        ("1961-07-06T10:00", ["time"]),
        ("10:00", ["time"]),
        ("6 July 1961 3pm", ["time"]),
        ("6/7/61", ["four-digit year"]),
        ("6 July 61", ["four-digit year"]),
        ("July 61", ["four-digit year"]),
        ("61", ["four-digit year"]),
        ("6 July", ["four-digit year"]),
        ("July", ["four-digit year"]),
        ("Tuesday 6 July 1961", ["weekday"]),
        ("6 July August 1961", ["more than one month"]),
        ("6th/7/1961", ["6th", "month name"]),
        ("1961st", ["1961st"]),
        ("1961-07-06-01", ["not a recognised date"]),
        ("1961 1962", ["not a recognised date"]),
        ("'61", ["unexpected character"]),
        ("6 July 1961 ?", ["unexpected character", "?"]),
    ],
)
def test_nonsense_raises_a_date_error_saying_what_is_wrong(text: str, words: list[str]) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    message = str(info.value)
    for word in words:
        assert word.lower() in message.lower(), message
    assert "\n" not in message


def test_date_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_date("abc")


def test_fuzzy_parsing_is_not_used() -> None:
    # dateutil's fuzzy mode would pick a date out of text like this.
    with pytest.raises(DateError):
        parse_date("signed on 6 July 1961")


def test_error_message_echo_is_kept_short() -> None:
    with pytest.raises(DateError) as info:
        parse_date("x" * 500)
    assert len(str(info.value)) < 200


def test_parse_date_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse_date(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_optional_date_blank_means_unknown(text: str | None) -> None:
    assert parse_optional_date(text) is None


def test_optional_date_parses_and_passes_order_through() -> None:
    assert parse_optional_date(" July 1961 ") == PartialDate(D(1961, 7, 1), MONTH)
    assert parse_optional_date("06/07/1961", DateOrder.MONTH_FIRST) == PartialDate(
        D(1961, 6, 7), DAY
    )
    with pytest.raises(DateError):
        parse_optional_date("06/07/1961")


# --- PartialDate -------------------------------------------------------------------------------

SAMPLES = [
    (PartialDate(D(1961, 7, 6), DAY), "1961-07-06", "6 July 1961", "6 July 1961 (day)"),
    (PartialDate(D(1961, 7, 1), MONTH), "1961-07", "July 1961", "July 1961 (month)"),
    (PartialDate(D(1961, 1, 1), YEAR), "1961", "1961", "1961 (year)"),
    (PartialDate(D(2024, 6, 19), DAY), "2024-06-19", "19 June 2024", "19 June 2024 (day)"),
    (PartialDate(D(843, 1, 1), YEAR), "0843", "843", "843 (year)"),
    (PartialDate(D(61, 3, 1), MONTH), "0061-03", "March 0061", "March 0061 (month)"),
]


@pytest.mark.parametrize(("partial", "iso", "display", "described"), SAMPLES)
def test_text_forms(partial: PartialDate, iso: str, display: str, described: str) -> None:
    assert partial.iso() == iso
    assert str(partial) == iso
    assert partial.display() == display
    assert partial.described() == described


@pytest.mark.parametrize("partial", [sample[0] for sample in SAMPLES])
def test_round_trips(partial: PartialDate) -> None:
    assert PartialDate.from_iso(partial.iso()) == partial
    assert parse_date(partial.iso()) == partial
    assert parse_date(partial.display()) == partial


@pytest.mark.parametrize(
    "text", ["", "1961-7-6", "1961-07-06 ", "6 July 1961", "61", "1961/07", "1961-13", "0000"]
)
def test_from_iso_refuses_anything_but_iso(text: str) -> None:
    with pytest.raises(DateError):
        PartialDate.from_iso(text)


def test_from_iso_names_an_impossible_day() -> None:
    with pytest.raises(DateError, match="30th"):
        PartialDate.from_iso("2023-02-30")


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (D(1961, 7, 6), DAY, D(1961, 7, 6)),
        (D(1961, 7, 6), MONTH, D(1961, 7, 1)),
        (D(1961, 7, 6), YEAR, D(1961, 1, 1)),
        (D(1961, 7, 6), "month", D(1961, 7, 1)),
        (datetime.datetime(1961, 7, 6, 15, 30), DAY, D(1961, 7, 6)),
    ],
)
def test_from_parts_normalises_to_the_first_day(
    value: datetime.date, precision: Precision | str, expected: datetime.date
) -> None:
    partial = PartialDate.from_parts(value, precision)
    assert partial.value == expected
    assert partial.precision is Precision(precision)
    assert type(partial.value) is datetime.date


def test_from_parts_rejects_an_unknown_precision() -> None:
    with pytest.raises(ValueError):
        PartialDate.from_parts(D(1961, 7, 6), "week")


def test_constructor_refuses_a_value_that_is_not_the_period_start() -> None:
    with pytest.raises(ValueError, match="first day"):
        PartialDate(D(1961, 7, 6), MONTH)
    with pytest.raises(ValueError, match="first day"):
        PartialDate(D(1961, 7, 1), YEAR)


def test_constructor_refuses_a_datetime() -> None:
    with pytest.raises(TypeError):
        PartialDate(datetime.datetime(1961, 7, 6), DAY)


def test_constructor_accepts_the_stored_precision_value() -> None:
    partial = PartialDate(D(1961, 7, 1), "month")  # type: ignore[arg-type]
    assert partial.precision is MONTH
    assert partial == PartialDate(D(1961, 7, 1), MONTH)


def test_precision_is_stored_by_value() -> None:
    assert Precision("year") is YEAR
    assert MONTH.value == "month"
    assert MONTH == "month"


@pytest.mark.parametrize(
    ("partial", "first", "last"),
    [
        (PartialDate(D(1961, 7, 6), DAY), D(1961, 7, 6), D(1961, 7, 6)),
        (PartialDate(D(1961, 7, 1), MONTH), D(1961, 7, 1), D(1961, 7, 31)),
        (PartialDate(D(2024, 2, 1), MONTH), D(2024, 2, 1), D(2024, 2, 29)),
        (PartialDate(D(2023, 2, 1), MONTH), D(2023, 2, 1), D(2023, 2, 28)),
        (PartialDate(D(1961, 4, 1), MONTH), D(1961, 4, 1), D(1961, 4, 30)),
        (PartialDate(D(1961, 1, 1), YEAR), D(1961, 1, 1), D(1961, 12, 31)),
    ],
)
def test_first_and_last_day(
    partial: PartialDate, first: datetime.date, last: datetime.date
) -> None:
    assert partial.first_day == first
    assert partial.last_day == last


@pytest.mark.parametrize(
    ("partial", "inside", "outside"),
    [
        (PartialDate(D(1961, 7, 6), DAY), [D(1961, 7, 6)], [D(1961, 7, 5), D(1961, 7, 7)]),
        (
            PartialDate(D(1961, 7, 1), MONTH),
            [D(1961, 7, 1), D(1961, 7, 15), D(1961, 7, 31)],
            [D(1961, 6, 30), D(1961, 8, 1), D(1962, 7, 1)],
        ),
        (
            PartialDate(D(1961, 1, 1), YEAR),
            [D(1961, 1, 1), D(1961, 12, 31)],
            [D(1960, 12, 31), D(1962, 1, 1)],
        ),
    ],
)
def test_covers(
    partial: PartialDate, inside: list[datetime.date], outside: list[datetime.date]
) -> None:
    assert all(partial.covers(d) for d in inside)
    assert not any(partial.covers(d) for d in outside)


def test_partial_dates_sort_chronologically_and_hash() -> None:
    dates = [parse_date("1996"), parse_date("6 July 1961"), parse_date("July 1961")]
    assert [d.iso() for d in sorted(dates)] == ["1961-07", "1961-07-06", "1996"]
    assert len({parse_date("July 1961"), parse_date("1961-07")}) == 1


def test_partial_date_is_immutable() -> None:
    partial = parse_date("1961")
    with pytest.raises(AttributeError):
        partial.value = D(1962, 1, 1)  # type: ignore[misc]


# --- durations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(1961, 9, 10), D(1996, 9, 10), "35 years"),
        (D(2000, 2, 9), D(2024, 12, 4), "24 years, 9 months, 25 days"),
        (D(1961, 7, 6), D(1996, 9, 10), "35 years, 2 months, 4 days"),
        (D(1961, 7, 6), D(1961, 7, 6), "0 days"),
        (D(1961, 7, 6), D(1961, 7, 7), "1 day"),
        (D(1961, 7, 6), D(1962, 7, 6), "1 year"),
        (D(1961, 7, 6), D(1961, 8, 6), "1 month"),
        (D(1961, 1, 1), D(1961, 11, 4), "10 months, 3 days"),
        (D(1961, 1, 1), D(1963, 1, 2), "2 years, 1 day"),
        (D(2024, 2, 1), D(2024, 2, 29), "28 days"),
    ],
)
def test_exact_durations(start: datetime.date, end: datetime.date, expected: str) -> None:
    assert format_duration(duration(start, end)) == expected
    assert describe_duration(start, end) == expected
    day_start = PartialDate(start, DAY)
    day_end = PartialDate(end, DAY)
    assert describe_duration(day_start, day_end) == expected


def test_duration_measures_between_first_days() -> None:
    assert duration(parse_date("July 1961"), D(1961, 7, 20)) == relativedelta(days=19)
    assert duration(parse_date("1961"), parse_date("1996")) == relativedelta(years=35)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (relativedelta(years=35, months=2), "35 years, 2 months"),
        (relativedelta(years=1), "1 year"),
        (relativedelta(months=10, days=3), "10 months, 3 days"),
        (relativedelta(years=24, months=9, days=25), "24 years, 9 months, 25 days"),
        (relativedelta(years=1, months=1, days=1), "1 year, 1 month, 1 day"),
        (relativedelta(months=14), "1 year, 2 months"),
        (relativedelta(weeks=2), "14 days"),
        (relativedelta(), "0 days"),
    ],
)
def test_format_duration(delta: relativedelta, expected: str) -> None:
    assert format_duration(delta) == expected
    assert format_duration(delta, approximate=True) == f"about {expected}"


@pytest.mark.parametrize(
    "delta",
    [relativedelta(days=-1), relativedelta(years=-3), relativedelta(years=1, months=-2)],
)
def test_format_duration_refuses_negative(delta: relativedelta) -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(delta)


def test_format_duration_refuses_time_parts() -> None:
    with pytest.raises(ValueError):
        format_duration(relativedelta(days=1, hours=3))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("1961", "1996", "about 35 years"),
        ("1961", "10 September 1996", "about 35 years"),
        ("6 July 1961", "1996", "about 35 years"),
        ("December 1961", "1996", "about 35 years"),
        ("1961", "1962", "about 1 year"),
        ("1961", "1961", "less than a year"),
        ("July 1961", "September 1996", "about 35 years, 2 months"),
        ("July 1961", "10 September 1996", "about 35 years, 2 months"),
        ("6 July 1961", "September 1996", "about 35 years, 2 months"),
        ("20 July 1961", "September 1996", "about 35 years, 2 months"),
        ("July 1961", "July 1996", "about 35 years"),
        ("July 1961", "August 1961", "about 1 month"),
        ("July 1961", "31 July 1961", "less than a month"),
        ("6 July 1961", "10 September 1996", "35 years, 2 months, 4 days"),
    ],
)
def test_describe_duration_says_only_what_the_precision_supports(
    start: str, end: str, expected: str
) -> None:
    assert describe_duration(parse_date(start), parse_date(end)) == expected


def test_describe_duration_accepts_plain_dates_with_partial_dates() -> None:
    assert describe_duration(parse_date("1961"), D(1996, 9, 10)) == "about 35 years"
    assert describe_duration(D(1961, 7, 6), parse_date("1996-09-10")) == (
        "35 years, 2 months, 4 days"
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("1996", "1961"),
        ("September 1996", "July 1961"),
        ("10 September 1996", "6 July 1961"),
        ("1962", "31 December 1961"),
    ],
)
def test_describe_duration_refuses_an_end_before_the_start(start: str, end: str) -> None:
    with pytest.raises(ValueError, match="negative"):
        describe_duration(parse_date(start), parse_date(end))


@pytest.mark.parametrize(
    ("value", "precision"),
    [
        (datetime.date(1961, 7, 6), "day"),
        (datetime.date(1961, 7, 1), "month"),
        (datetime.date(1961, 7, 6), "month"),  # not the first day: moved to it
        (datetime.date(1961, 1, 1), "year"),
        (datetime.date(1961, 7, 6), "year"),
        (datetime.datetime(1961, 7, 6, 12, 30), "day"),  # as some drivers hand dates back
        (datetime.date(1961, 7, 6), Precision.MONTH),
    ],
)
def test_a_stored_pair_reads_as_from_parts_builds_it(value, precision) -> None:  # type: ignore[no-untyped-def]
    made = partial(value, precision)
    expected = PartialDate.from_parts(value, precision)
    assert made == expected and hash(made) == hash(expected)
    assert made.precision is expected.precision and type(made.value) is datetime.date
    assert made.display() == expected.display()


def test_a_stored_pair_with_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError):
        partial(datetime.date(1961, 7, 6), "week")
    assert partial(None, "day") is None and partial(datetime.date(1961, 7, 6), None) is None

"""Partial dates (known to a day, a month or only a year), the date parser and durations.

`parse_date` is the single entry point for dates typed by a user; the CLI and the terminal UI
both go through it so that they accept and refuse exactly the same text.
"""

import calendar
import datetime
import enum
import re
from dataclasses import dataclass
from typing import NamedTuple

from dateutil.parser import parserinfo
from dateutil.relativedelta import relativedelta

__all__ = [
    "DateError",
    "DateOrder",
    "PartialDate",
    "Precision",
    "describe_duration",
    "duration",
    "format_duration",
    "parse_date",
    "parse_optional_date",
    "partial",
]

# Fixed English names: calendar.month_name follows the process locale.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_EXAMPLES = "6 July 1961, July 1961 or 1961"


class Precision(enum.StrEnum):
    """How much of a date is known. Stored in the database by value."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_COARSENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


class DateError(ValueError):
    """A date the user typed that cannot be understood.

    str(e) is a one-line message fit to show a user, saying what was wrong and what to type instead.
    """


class DateOrder(enum.StrEnum):
    """How to read all-numeric dates such as 06/07/1961."""

    STRICT = "strict"
    DAY_FIRST = "day-first"
    MONTH_FIRST = "month-first"


def _year_text(year: int) -> str:
    # Years below 100 keep their leading zeros so the text never reads as a two-digit year.
    return str(year) if year >= 100 else f"{year:04d}"


def _day_text(year: int, month: int, day: int) -> str:
    return f"{day} {_MONTH_NAMES[month - 1]} {_year_text(year)}"


def _us_day_text(year: int, month: int, day: int) -> str:
    return f"{_MONTH_NAMES[month - 1]} {day}, {_year_text(year)}"


def _period_start(value: datetime.date, precision: Precision) -> datetime.date:
    if precision is Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision is Precision.MONTH:
        return value.replace(day=1)
    return value


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to day, month or year. `value` is the first day of the period it names."""

    value: datetime.date
    precision: Precision

    def __post_init__(self) -> None:
        # A datetime is a date subclass but would break equality and ordering with plain dates.
        if isinstance(self.value, datetime.datetime) or not isinstance(self.value, datetime.date):
            raise TypeError(f"PartialDate.value must be a datetime.date, not {self.value!r}")
        precision = Precision(self.precision)
        object.__setattr__(self, "precision", precision)
        if _period_start(self.value, precision) != self.value:
            raise ValueError(
                f"{self.value.isoformat()} is not the first day of its {precision.value}; "
                "use PartialDate.from_parts to normalise it"
            )

    @property
    def first_day(self) -> datetime.date:
        return self.value

    @property
    def last_day(self) -> datetime.date:
        if self.precision is Precision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision is Precision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return self.value

    def iso(self) -> str:
        """ISO 8601 text cut to the precision: "1961-07-06", "1961-07" or "1961"."""
        year, month = self.value.year, self.value.month
        if self.precision is Precision.YEAR:
            return f"{year:04d}"
        if self.precision is Precision.MONTH:
            return f"{year:04d}-{month:02d}"
        return self.value.isoformat()

    def display(self) -> str:
        """The date as people write it: "6 July 1961", "July 1961" or "1961"."""
        year, month = self.value.year, self.value.month
        if self.precision is Precision.YEAR:
            return _year_text(year)
        if self.precision is Precision.MONTH:
            return f"{_MONTH_NAMES[month - 1]} {_year_text(year)}"
        return _day_text(year, month, self.value.day)

    def described(self) -> str:
        """The display text with its precision, e.g. "July 1961 (month)"."""
        return f"{self.display()} ({self.precision.value})"

    def covers(self, d: datetime.date) -> bool:
        """Whether `d` falls within the period this date names."""
        return self.first_day <= d <= self.last_day

    @classmethod
    def from_parts(cls, value: datetime.date, precision: Precision | str) -> "PartialDate":
        """Build a PartialDate, moving `value` to the first day of its month or year."""
        if isinstance(value, datetime.datetime):
            value = value.date()
        precision = Precision(precision)
        return cls(_period_start(value, precision), precision)

    @classmethod
    def from_iso(cls, text: str) -> "PartialDate":
        """The inverse of iso(): accepts exactly "YYYY-MM-DD", "YYYY-MM" or "YYYY"."""
        match = _ISO.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise DateError(
                f"{_quote(str(text))} is not an ISO date: expected YYYY-MM-DD, YYYY-MM or YYYY, "
                "e.g. 1961-07-06"
            )
        quoted = _quote(text)
        year = int(match["year"])
        if match["month"] is None:
            return _build(year, None, None, quoted)
        day = None if match["day"] is None else int(match["day"])
        return _build(year, int(match["month"]), day, quoted)

    def __str__(self) -> str:
        return self.iso()


_PRECISIONS = {p.value: p for p in Precision}


def partial(value: datetime.date | None, precision: str | None) -> PartialDate | None:
    """A stored date pair (first day, precision) as a PartialDate; None when either is missing."""
    if value is None or precision is None:
        return None
    known = _PRECISIONS.get(precision)
    if known is None or type(value) is not datetime.date:
        return PartialDate.from_parts(value, precision)  # its checks, and their errors
    # The same date as from_parts, built without its checks: a page of the timeline builds
    # hundreds, and from_parts took half the time of reading the page.
    made = object.__new__(PartialDate)
    object.__setattr__(made, "value", _period_start(value, known))
    object.__setattr__(made, "precision", known)
    return made


_ISO = re.compile(r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")

# ---------------------------------------------------------------------------------------------
# Parsing
#
# dateutil.parser.parse is not used to read the text: it silently fills missing fields from a
# default, guesses the century of two-digit years and resolves 06/07 by a flag, which are the
# very mistakes this parser must refuse. The text is tokenised strictly instead, and dateutil's
# parser vocabulary supplies the month and weekday names.

_PARSER_INFO = parserinfo()

_TOKEN = re.compile(
    r"(?P<num>[0-9]+)|(?P<word>[a-z]+)|(?P<sep>[\s,./\-\u2013]+)|(?P<other>.)", re.DOTALL
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_RELATIVE_WORDS = frozenset(
    {
        "today", "tonight", "tomorrow", "yesterday", "now", "soon", "later", "recently",
        "next", "last", "this", "ago", "day", "days", "week", "weeks", "fortnight",
        "month", "months", "year", "years",
    }
)  # fmt: skip
_TIME_WORDS = frozenset({"am", "pm", "noon", "midnight", "oclock"})
_ERA_BC = re.compile(r"(?<![a-z])b\.?\s?c\.?(?:\s?e\.?)?(?![a-z])")
_NEGATIVE = re.compile(r"[-\u2212\u2013]\s*[0-9]")
_MAX_ECHO = 40


class _Num(NamedTuple):
    digits: str
    ordinal: bool

    @property
    def value(self) -> int:
        return int(self.digits)

    @property
    def kind(self) -> str:
        # Three or four digits can only be a year; one or two are a day, a month or a short year.
        return "Y" if len(self.digits) >= 3 else "n"


class _Month(NamedTuple):
    number: int

    @property
    def kind(self) -> str:
        return "M"


_Field = _Num | _Month


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _MAX_ECHO:
        text = text[: _MAX_ECHO - 3] + "..."
    return f'"{text}"'


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _build(year: int, month: int | None, day: int | None, quoted: str) -> PartialDate:
    """Validate the fields given and make the PartialDate they describe."""
    if not 1 <= year <= 9999:
        raise DateError(
            f"{quoted}: there is no year {year}; years run from 1 to 9999 "
            "(BC/BCE dates are not supported)."
        )
    if month is None:
        return PartialDate(datetime.date(year, 1, 1), Precision.YEAR)
    if not 1 <= month <= 12:
        raise DateError(
            f"{quoted}: there is no month {month}; months run from 1 to 12. "
            "Type the month as a word (6 July 1961) or use ISO year-month-day (1961-07-06)."
        )
    if day is None:
        return PartialDate(datetime.date(year, month, 1), Precision.MONTH)
    if day == 0:
        raise DateError(f"{quoted}: there is no day 0; days start at 1.")
    days_in_month = calendar.monthrange(year, month)[1]
    if day > days_in_month:
        raise DateError(
            f"{quoted}: {_MONTH_NAMES[month - 1]} {_year_text(year)} has no {_ordinal(day)} "
            f"(it has {days_in_month} days)."
        )
    return PartialDate(datetime.date(year, month, day), Precision.DAY)


def _tokenize(text: str, quoted: str) -> list[_Field]:
    """Split lower-cased text into numbers and month names, refusing anything else."""
    if ":" in text or any(word in _TIME_WORDS for word in re.findall(r"[a-z]+", text)):
        raise DateError(
            f"{quoted} includes a time; dates are recorded without times, "
            "so type just the date (e.g. 1961-07-06)."
        )
    if _ERA_BC.search(text) or _NEGATIVE.match(text):
        raise DateError(f"{quoted}: BC/BCE dates are not supported; years run from 1 to 9999.")

    fields: list[_Field] = []
    has_digits = any(ch.isdigit() for ch in text)
    previous: str | None = None
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "num":
            if len(token) > 4:
                number = "the number" if _quote(token) == quoted else _quote(token)
                raise DateError(
                    f"{quoted} is not a date: {number} is too long for a day, month or year "
                    f"(years run from 1 to 9999). Type a date such as {_EXAMPLES}."
                )
            fields.append(_Num(token, ordinal=False))
        elif kind == "word":
            month = _PARSER_INFO.month(token)
            if month is not None:
                fields.append(_Month(month))
            elif token in _ORDINAL_SUFFIXES and previous == "num":
                fields[-1] = fields[-1]._replace(ordinal=True)
            elif token in ("ad", "ce"):
                raise DateError(f"{quoted}: leave out AD/CE; type just the date, e.g. 6 July 1961.")
            elif _PARSER_INFO.weekday(token) is not None and has_digits:
                raise DateError(
                    f"{quoted}: leave out the weekday and type just the date, e.g. 6 July 1961."
                )
            elif token in _RELATIVE_WORDS or _PARSER_INFO.weekday(token) is not None:
                raise DateError(
                    f"{quoted} is not a calendar date; type the actual date, "
                    "e.g. 6 July 1961 or 1961-07-06."
                )
            else:
                what = "" if _quote(token) == quoted else f' ("{token}" is not a month name)'
                raise DateError(f"{quoted} is not a date{what}. Type a date such as {_EXAMPLES}.")
        elif kind == "other":
            raise DateError(
                f"{quoted}: unexpected character {_quote(token)}. Type a date such as {_EXAMPLES}."
            )
        previous = kind
    return fields


def _numeric_day_month(
    first: int, second: int, year: int, order: DateOrder, quoted: str
) -> tuple[int, int]:
    """Decide (day, month) for an all-numeric date written with the year last."""
    if order is DateOrder.DAY_FIRST:
        day, month, other, reading = first, second, (second, first), "day-first"
    elif order is DateOrder.MONTH_FIRST:
        day, month, other, reading = second, first, (first, second), "month-first"
    else:
        first_is_month, second_is_month = 1 <= first <= 12, 1 <= second <= 12
        if first_is_month and second_is_month and first != second:
            day_first = _day_text(year, second, first)
            month_first = _us_day_text(year, first, second)
            raise DateError(
                f"{quoted} is ambiguous: it could be {day_first} or {month_first}. "
                f"Type the month as a word ({day_first}) or use ISO "
                f"{year:04d}-{second:02d}-{first:02d}, or choose day-first or month-first."
            )
        if second_is_month:
            return first, second
        if first_is_month:
            return second, first
        raise DateError(
            f"{quoted}: neither {first} nor {second} can be a month (months run from 1 to 12). "
            "Type the month as a word (6 July 1961) or use ISO 1961-07-06."
        )

    if not 1 <= month <= 12:
        hint = "Type the month as a word (6 July 1961) or use ISO 1961-07-06."
        other_day, other_month = other
        if 1 <= other_month <= 12 and 1 <= other_day <= calendar.monthrange(year, other_month)[1]:
            hint = (
                f"Did you mean {_day_text(year, other_month, other_day)}? Type the month as a "
                f"word or use ISO {year:04d}-{other_month:02d}-{other_day:02d}."
            )
        raise DateError(f"{quoted} read {reading} has no month {month}. {hint}")
    return day, month


def _refuse_ordinals(nums: list[_Num], quoted: str) -> None:
    for num in nums:
        if num.ordinal:
            raise DateError(
                f"{quoted}: only a day next to a month name can be written as "
                f"{_ordinal(num.value)}. Type a date such as {_EXAMPLES}."
            )


def _interpret(fields: list[_Field], order: DateOrder, quoted: str) -> PartialDate:
    kinds = "".join(field.kind for field in fields)
    nums = [field for field in fields if isinstance(field, _Num)]
    years = [num for num in nums if num.kind == "Y"]
    small = [num for num in nums if num.kind == "n"]
    month_word = next((field.number for field in fields if isinstance(field, _Month)), None)

    if kinds.count("M") > 1:
        raise DateError(f"{quoted} names more than one month. Type a date such as {_EXAMPLES}.")
    if kinds in ("nMY", "MnY", "YMn"):
        _refuse_ordinals(years, quoted)  # the day may be "6th", the year may not
        return _build(years[0].value, month_word, small[0].value, quoted)
    if kinds in ("n", "nn", "nnn", "M", "Mn", "nM", "nMn", "Mnn", "nnM"):
        raise DateError(
            f"{quoted} has no four-digit year; a treaty date needs the year in full, "
            "e.g. 6 July 1961 rather than 6 July 61."
        )

    _refuse_ordinals(nums, quoted)
    if kinds == "Y":
        return _build(years[0].value, None, None, quoted)
    if kinds in ("MY", "YM"):
        return _build(years[0].value, month_word, None, quoted)
    if kinds in ("nY", "Yn"):
        return _build(years[0].value, small[0].value, None, quoted)
    if kinds == "Ynn":
        return _build(years[0].value, small[0].value, small[1].value, quoted)
    if kinds == "nnY":
        year = years[0].value
        _build(year, None, None, quoted)  # report a bad year before any day/month question
        day, month = _numeric_day_month(small[0].value, small[1].value, year, order, quoted)
        return _build(year, month, day, quoted)
    raise DateError(f"{quoted} is not a recognised date. Type a date such as {_EXAMPLES}.")


def _as_order(order: DateOrder | str) -> DateOrder:
    try:
        return DateOrder(order)
    except ValueError:
        choices = ", ".join(member.value for member in DateOrder)
        raise ValueError(f"unknown date order {order!r}; choose one of {choices}") from None


def parse_date(text: str, order: DateOrder | str = DateOrder.STRICT) -> PartialDate:
    """Read a date as a user types it, keeping how precisely it was given.

    Accepts "1961", "July 1961", "1961-07", "07/1961", "6 July 1961", "July 6, 1961",
    "6th Jul. 1961", "1961-07-06" and numeric dates such as "19/06/2024". Numeric dates that
    read differently day-first and month-first are refused unless `order` settles them.
    Raises DateError, with a message fit for the user, for anything else.
    """
    order = _as_order(order)
    if not isinstance(text, str):
        raise TypeError(f"expected the date as text, not {type(text).__name__}")
    cleaned = " ".join(text.split()).lower()
    if not cleaned:
        raise DateError(f"no date given: type a date such as {_EXAMPLES}.")
    quoted = _quote(text)
    return _interpret(_tokenize(cleaned, quoted), order, quoted)


def parse_optional_date(
    text: str | None, order: DateOrder | str = DateOrder.STRICT
) -> PartialDate | None:
    """Like parse_date, but empty or blank text (or None) means the date is unknown."""
    if text is None or not text.strip():
        return None
    return parse_date(text, order)


# ---------------------------------------------------------------------------------------------
# Durations


def _as_date(value: PartialDate | datetime.date) -> datetime.date:
    if isinstance(value, PartialDate):
        return value.first_day
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"expected a PartialDate or datetime.date, not {type(value).__name__}")


def _precision(value: PartialDate | datetime.date) -> Precision:
    return value.precision if isinstance(value, PartialDate) else Precision.DAY


def duration(start: PartialDate | datetime.date, end: PartialDate | datetime.date) -> relativedelta:
    """The calendar difference from `start` to `end` (first days, for partial dates)."""
    return relativedelta(_as_date(end), _as_date(start))


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def format_duration(delta: relativedelta, *, approximate: bool = False) -> str:
    """Render a duration as people say it, e.g. "35 years, 2 months" or "10 months, 3 days"."""
    if delta.hours or delta.minutes or delta.seconds or delta.microseconds:
        raise ValueError("durations are counted in whole days; the delta has a time part")
    if delta.years < 0 or delta.months < 0 or delta.days < 0:
        raise ValueError("cannot describe a negative duration: the end is before the start")
    parts = [
        _plural(count, unit)
        for count, unit in ((delta.years, "year"), (delta.months, "month"), (delta.days, "day"))
        if count
    ]
    text = ", ".join(parts) or "0 days"
    return f"about {text}" if approximate else text


def describe_duration(start: PartialDate | datetime.date, end: PartialDate | datetime.date) -> str:
    """The duration from `start` to `end`, said no more precisely than the dates allow.

    With a year-only end the result is whole years ("about 35 years"), with a month-only end whole
    months ("about 35 years, 2 months"); only two exact days give an exact answer.
    """
    coarsest = max(_precision(start), _precision(end), key=_COARSENESS.__getitem__)
    first, last = _as_date(start), _as_date(end)
    # Coarse ends are compared by calendar year or month rather than from the first day of the
    # period, which would overstate the duration by up to a year when only the start is coarse.
    if coarsest is Precision.YEAR:
        years = last.year - first.year
        if years < 0:
            raise ValueError("cannot describe a negative duration: the end is before the start")
        if years == 0:
            return "less than a year"
        return format_duration(relativedelta(years=years), approximate=True)
    if coarsest is Precision.MONTH:
        months = (last.year - first.year) * 12 + last.month - first.month
        if months < 0:
            raise ValueError("cannot describe a negative duration: the end is before the start")
        if months == 0:
            return "less than a month"
        # relativedelta carries whole years out of the month count.
        return format_duration(relativedelta(months=months), approximate=True)
    return format_duration(duration(first, last))

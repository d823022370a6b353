"""The 0-5 guarantee strength scale, and the rule that derives it from ATOP's obligation codes.

The scale and the rule are those of the project's STRENGTH scale, grounded in the ATOP and COW
codebooks, so a record coded by hand and one imported from ATOP mean the same thing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    meaning: str
    cow: str


LEVELS: tuple[Level, ...] = (
    Level(0, "no guarantee", "friendship or cooperation only; general consultation", "not in COW"),
    Level(1, "non-aggression", "non-aggression or neutrality only", "IIa, IIb"),
    Level(2, "consultation", "promise to consult in a crisis", "III"),
    Level(
        3,
        "conditional defence",
        "defence (or offence) with a narrow trigger, or discretionary wording"
        ' ("such action as it deems necessary")',
        "I",
    ),
    Level(
        4,
        "automatic defence",
        'immediate assistance against any armed attack, "with all means at its disposal"',
        "I",
    ),
    Level(
        5,
        "integrated defence",
        "a military pledge backed by integrated command, bases or troop commitments;"
        " or an unconditional offensive pledge",
        "I",
    ),
)


class StrengthError(ValueError):
    pass


def level(value: int) -> Level:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 5:
        raise StrengthError(f"strength must be a whole number from 0 to 5, not {value!r}")
    return LEVELS[value]


def level_name(value: int | None) -> str:
    return "not coded" if value is None else level(value).name


def label(value: int | None) -> str:
    """The value with its name ("4 automatic defence"), or "- not coded"."""
    return "- not coded" if value is None else f"{value} {level(value).name}"


def parse_strength(text: str | int) -> int:
    """A strength typed by a user: a number 0-5 or a level name ("automatic defence")."""
    if isinstance(text, int):
        return level(text).value
    cleaned = str(text).strip().lower()
    if cleaned.isdigit() and cleaned.isascii() and len(cleaned) <= 9:
        return level(int(cleaned)).value
    for candidate in LEVELS:
        if cleaned == candidate.name:
            return candidate.value
    names = ", ".join(f"{lv.value} {lv.name}" for lv in LEVELS)
    shown = repr(text) if len(str(text)) <= 60 else repr(str(text)[:57] + "...")
    raise StrengthError(f"strength {shown} is not on the scale; give one of: {names}")


def strength_from_atop(
    *,
    defense: bool,
    offense: bool,
    neutral: bool,
    nonagg: bool,
    consul: bool,
    conditio: bool,
    milinst: int | None,
) -> int:
    """The level for an ATOP alliance's codes; the first rule that matches wins."""
    if ((defense or offense) and (milinst or 0) == 2) or (offense and not conditio):
        return 5
    if defense and not conditio:
        return 4
    if defense or offense:
        return 3
    if consul:
        return 2
    if nonagg or neutral:
        return 1
    return 0

"""Statistical disclosure control for published counts (the ONS "10-5" rule by default).

Pure functions, no database. A published table is a set of cells plus *lines*: groups of cells
whose true values add up to a published total (a skill's levels add up to the headcount, say).

1. Primary suppression: a count below the threshold (default 10) is shown as ``[c]``.
2. Rounding: every other count, totals included, is rounded to the nearest base (default 5).
3. Secondary suppression: no line may have exactly one suppressed member, or the total minus
   the others would give it back; the smallest other member is suppressed until that holds.
   Lines that cross (rows and columns) can still pin a cell down together, so an exact audit
   then solves the published equations and suppresses more until no hidden cell is determined.
4. Differencing: when a view is a subset of another published view (a filter, an earlier
   period of a cumulative measure), a cell whose complement (other minus this) is a small
   non-zero number is suppressed, since subtracting the two would reveal that small number.

Shares are computed from the published (rounded) numbers only, never from true counts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

SUPPRESSED = "[c]"


@dataclass(frozen=True)
class DisclosureRule:
    """Counts below `threshold` are suppressed; the rest are rounded to `rounding_base`."""

    threshold: int = 10
    rounding_base: int = 5

    def __post_init__(self):
        if self.threshold < 1 or self.rounding_base < 1:
            raise ValueError("threshold and rounding_base must be positive whole numbers")


@dataclass(frozen=True)
class Line:
    """Cells whose true values add up to the value of `total` (itself a key of the table)."""

    members: tuple[Hashable, ...]
    total: Hashable


@dataclass
class ProtectedTable:
    """Published values: an int (rounded) or SUPPRESSED, for every key of the input."""

    values: dict[Hashable, int | str]
    suppressed: set[Hashable] = field(default_factory=set)

    def __getitem__(self, key: Hashable) -> int | str:
        return self.values[key]

    def is_suppressed(self, key: Hashable) -> bool:
        return key in self.suppressed


def round_to_base(count: int, base: int) -> int:
    """Round half up to the nearest multiple of `base` (12 -> 10, 13 -> 15 for base 5)."""
    return int(math.floor(count / base + 0.5)) * base


def primary_suppressions(counts: Mapping[Hashable, int], rule: DisclosureRule) -> set[Hashable]:
    """Every count below the threshold, zeros included.

    A published zero beside a small total would tell that everyone else is elsewhere.
    """
    return {key for key, count in counts.items() if count < rule.threshold}


def complement_suppressions(
    counts: Mapping[Hashable, int],
    superset_counts: Mapping[Hashable, int],
    rule: DisclosureRule,
) -> set[Hashable]:
    """Cells whose difference from the same cell of a published superset view is small.

    `superset_counts` holds the same keys counted over a population that contains this one
    (all grades vs one grade; this month vs an earlier month of a cumulative measure).
    """
    hidden = set()
    for key, count in counts.items():
        other = superset_counts.get(key)
        if other is None:
            continue
        difference = abs(other - count)
        if 0 < difference < rule.threshold:
            hidden.add(key)
    return hidden


def _cost(key: Hashable, counts: Mapping[Hashable, int], totals: set) -> tuple:
    """Order of preference for hiding: fewest people first; on a tie a cell before a total
    (totals such as "at or above a level" are what targets are read from); then by name.
    """
    return (counts[key], key in totals, str(key))


def secondary_suppressions(
    counts: Mapping[Hashable, int],
    lines: Iterable[Line],
    suppressed: set[Hashable],
) -> set[Hashable]:
    """Grow `suppressed` until no line has exactly one suppressed member (total included).

    The complement chosen is the smallest unsuppressed cell of the line (fewest people hidden),
    then the total if the line has no other cell left; ties break on the key's text, so the
    same input always gives the same output.
    """
    lines = list(lines)
    totals = {line.total for line in lines}
    hidden = set(suppressed)
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [*line.members, line.total]
            if sum(1 for member in members if member in hidden) != 1:
                continue
            candidates = [member for member in line.members if member not in hidden]
            if candidates:
                pick = min(candidates, key=lambda key: _cost(key, counts, totals))
            else:
                pick = line.total
            hidden.add(pick)
            changed = True
    return hidden


# Exact arithmetic modulo a large prime: the equations have coefficients 0 and +-1, so a rank
# computed this way equals the rank over the rationals except with negligible probability.
_PRIME = 2**61 - 1


def _determined_unknowns(lines: list[Line], hidden: set[Hashable]) -> set[Hashable]:
    """Hidden keys whose value follows exactly from the published values and the lines.

    The lines form the system sum(members) - total = 0; moving published values to the right
    leaves one equation per line over the hidden keys. A hidden key is determined exactly when
    its pivot row of the reduced echelon form has no other non-zero entry.
    """
    touching = [line for line in lines if any(k in hidden for k in (*line.members, line.total))]
    unknowns = sorted(hidden, key=str)
    column = {key: i for i, key in enumerate(unknowns)}
    rows = []
    for line in touching:
        row: dict[int, int] = {}
        for key in line.members:
            if key in column:
                row[column[key]] = (row.get(column[key], 0) + 1) % _PRIME
        if line.total in column:
            row[column[line.total]] = (row.get(column[line.total], 0) - 1) % _PRIME
        row = {i: v for i, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> reduced row (sparse)
    for row in rows:
        for pivot_column, pivot_row in pivots.items():
            factor = row.get(pivot_column)
            if factor:
                for i, v in pivot_row.items():
                    row[i] = (row.get(i, 0) - factor * v) % _PRIME
                row = {i: v for i, v in row.items() if v}
        if not row:
            continue
        lead = min(row)
        inverse = pow(row[lead], _PRIME - 2, _PRIME)
        row = {i: v * inverse % _PRIME for i, v in row.items()}
        for other in pivots.values():
            factor = other.get(lead)
            if factor:
                for i, v in row.items():
                    other[i] = (other.get(i, 0) - factor * v) % _PRIME
                for i in [i for i, v in other.items() if not v]:
                    del other[i]
        pivots[lead] = row
    return {unknowns[i] for i, row in pivots.items() if len(row) == 1}


def _nearest_unhidden(
    key: Hashable, counts: Mapping[Hashable, int], lines: list[Line], hidden: set[Hashable]
) -> Hashable | None:
    """The smallest published key in the lines nearest to `key`, walking through hidden keys."""
    seen_keys, frontier, used_lines = {key}, [key], set()
    while frontier:
        reached = [
            i
            for i, line in enumerate(lines)
            if i not in used_lines and any(k in (*line.members, line.total) for k in frontier)
        ]
        used_lines.update(reached)
        members = {m for i in reached for m in (*lines[i].members, lines[i].total)}
        candidates = [m for m in members if m not in hidden]
        if candidates:
            totals = {line.total for line in lines}
            return min(candidates, key=lambda k: _cost(k, counts, totals))
        frontier = [m for m in members if m not in seen_keys]
        seen_keys.update(frontier)
    return None


def _close_exact_disclosures(
    counts: Mapping[Hashable, int], lines: list[Line], hidden: set[Hashable]
) -> set[Hashable]:
    """Suppress more until no hidden key can be solved for from the published equations."""
    hidden = set(hidden)
    while determined := _determined_unknowns(lines, hidden):
        pick = _nearest_unhidden(min(determined, key=str), counts, lines, hidden)
        if pick is None:
            break  # everything connected to it is hidden already
        hidden.add(pick)
        hidden = secondary_suppressions(counts, lines, hidden)
    return hidden


def protect(
    counts: Mapping[Hashable, int],
    *,
    lines: Iterable[Line] = (),
    rule: DisclosureRule | None = None,
    superset_counts: Mapping[Hashable, int] | None = None,
    forced: Iterable[Hashable] = (),
) -> ProtectedTable:
    """Apply primary, differencing and secondary suppression, then round what is left.

    `forced` keys are suppressed whatever their value (e.g. a headcount already suppressed in
    another published table that shares it).
    """
    rule = rule or DisclosureRule()
    lines = list(lines)
    for line in lines:
        missing = [key for key in (*line.members, line.total) if key not in counts]
        if missing:
            raise KeyError(f"line refers to keys with no count: {missing!r}")
    hidden = primary_suppressions(counts, rule) | (set(forced) & set(counts))
    if superset_counts is not None:
        hidden |= complement_suppressions(counts, superset_counts, rule)
    hidden = secondary_suppressions(counts, lines, hidden)
    if hidden and lines:
        hidden = _close_exact_disclosures(counts, lines, hidden)
    values: dict[Hashable, int | str] = {
        key: SUPPRESSED if key in hidden else round_to_base(count, rule.rounding_base)
        for key, count in counts.items()
    }
    return ProtectedTable(values=values, suppressed=hidden)


def share(numerator: int | str, denominator: int | str) -> float | str:
    """A share from published values only: suppressed if either side is, or nothing to divide."""
    if numerator == SUPPRESSED or denominator == SUPPRESSED or not denominator:
        return SUPPRESSED
    return numerator / denominator

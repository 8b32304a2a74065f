import itertools
import random
from fractions import Fraction

import pytest

from reporting.disclosure import (
    SUPPRESSED,
    DisclosureRule,
    Line,
    complement_suppressions,
    protect,
    round_to_base,
    share,
)

LEVELS = ("none", "awareness", "working", "practitioner", "expert")


def _rank(rows):
    """Rank of a matrix of Fractions by Gaussian elimination."""
    rows = [list(row) for row in rows if any(row)]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable_cells(counts, lines, suppressed):
    """Suppressed keys an attacker can solve for exactly, knowing every published value
    *exactly* (stronger than reality, where published values are rounded)."""
    unknowns = sorted(suppressed, key=str)
    index = {key: i for i, key in enumerate(unknowns)}
    matrix = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for key in line.members:
            if key in index:
                row[index[key]] += 1
        if line.total in index:
            row[index[line.total]] -= 1
        matrix.append(row)
    base_rank = _rank(matrix)
    found = set()
    for key in unknowns:
        unit = [Fraction(0)] * len(unknowns)
        unit[index[key]] = Fraction(1)
        if _rank([*matrix, unit]) == base_rank:
            found.add(key)
    return found


def skill_table(rows):
    """counts for a skill x level table with headcount totals, and its lines."""
    counts, lines = {}, []
    for skill, values in rows.items():
        for level, value in zip(LEVELS, values, strict=True):
            counts[(skill, level)] = value
        counts[(skill, "headcount")] = sum(values)
        lines.append(Line(tuple((skill, level) for level in LEVELS), (skill, "headcount")))
    return counts, lines


def test_round_to_base_rounds_half_up():
    assert [round_to_base(n, 5) for n in (10, 12, 13, 17, 18, 22, 25)] == [
        10,
        10,
        15,
        15,
        20,
        20,
        25,
    ]


def test_protect_suppresses_counts_below_threshold_and_rounds_the_rest():
    counts, lines = skill_table({"data": [40, 3, 22, 13, 12]})

    table = protect(counts, lines=lines)

    assert table[("data", "awareness")] == SUPPRESSED
    assert table[("data", "working")] == 20
    assert table[("data", "headcount")] == 90


def test_protect_adds_a_secondary_suppression_when_a_line_has_one():
    counts, lines = skill_table({"data": [40, 3, 22, 13, 12]})

    table = protect(counts, lines=lines)

    # 90 - (40 + 22 + 13 + 12) would give the 3 back, so the smallest other cell goes too.
    assert table.suppressed & set(counts) == {("data", "awareness"), ("data", "expert")}
    assert recoverable_cells(counts, lines, table.suppressed) == set()


def test_protect_suppresses_the_total_when_no_other_cell_is_left():
    counts = {"a": 4, "b": 30, "total": 34}
    counts["b"] = 30
    lines = [Line(("a", "b"), "total")]
    counts_one_cell = {"a": 4, "total": 4}

    table = protect(counts_one_cell, lines=[Line(("a",), "total")])

    assert table["a"] == SUPPRESSED
    assert table["total"] == SUPPRESSED
    assert protect(counts, lines=lines).suppressed == {"a", "b"}


def test_protect_treats_zero_as_a_small_count():
    counts, lines = skill_table({"data": [50, 0, 20, 15, 15]})

    table = protect(counts, lines=lines)

    assert table[("data", "awareness")] == SUPPRESSED


def test_protect_rule_is_configurable():
    counts, lines = skill_table({"data": [50, 6, 20, 15, 15]})

    table = protect(counts, lines=lines, rule=DisclosureRule(threshold=5, rounding_base=10))

    assert table[("data", "awareness")] == 10
    assert table[("data", "working")] == 20


def test_protect_refuses_a_line_with_unknown_keys():
    with pytest.raises(KeyError):
        protect({"a": 12}, lines=[Line(("a", "b"), "total")])


def test_rule_refuses_nonsense_settings():
    with pytest.raises(ValueError):
        DisclosureRule(threshold=0)


def test_protect_blocks_differencing_between_a_filter_and_the_whole():
    whole = {("data", "working"): 23}
    one_grade = {("data", "working"): 20}

    table = protect(one_grade, superset_counts=whole)

    # 23 - 20 = 3 people in the other grades: publishing 20 beside 23 would reveal them.
    assert table[("data", "working")] == SUPPRESSED
    assert complement_suppressions({"x": 30}, {"x": 30}, DisclosureRule()) == set()
    assert complement_suppressions({"x": 30}, {"x": 45}, DisclosureRule()) == set()


def test_protect_blocks_differencing_across_filters_as_a_cube():
    """Grades x levels for one skill: each grade's view and the all-grades view are published.
    The per-grade cells add up to the all-grades cell, so they form lines too."""
    grades = {"HEO": [30, 2, 15, 11, 12], "SEO": [25, 14, 12, 10, 20], "G7": [12, 11, 10, 13, 14]}
    counts, lines = {}, []
    for grade, values in grades.items():
        for level, value in zip(LEVELS, values, strict=True):
            counts[(grade, level)] = value
        counts[(grade, "headcount")] = sum(values)
        lines.append(Line(tuple((grade, level) for level in LEVELS), (grade, "headcount")))
    for column in (*LEVELS, "headcount"):
        counts[("all", column)] = sum(counts[(grade, column)] for grade in grades)
        lines.append(Line(tuple((grade, column) for grade in grades), ("all", column)))
    lines.append(Line(tuple(("all", level) for level in LEVELS), ("all", "headcount")))

    table = protect(counts, lines=lines)

    assert table[("HEO", "awareness")] == SUPPRESSED
    assert recoverable_cells(counts, lines, table.suppressed) == set()
    for line in lines:
        members = [*line.members, line.total]
        assert sum(member in table.suppressed for member in members) != 1


@pytest.mark.parametrize("seed", range(40))
def test_protect_never_leaves_a_suppressed_cell_recoverable(seed):
    """Random tables full of small counts: no suppressed cell can be solved for."""
    rng = random.Random(seed)
    rows = {
        f"skill-{i}": [rng.choice([0, 1, 3, 8, 9, 10, 11, 25, 60]) for _ in LEVELS]
        for i in range(rng.randint(1, 4))
    }
    counts, lines = skill_table(rows)
    # Column totals published too (people at each level, summed over these rows).
    for level in (*LEVELS, "headcount"):
        counts[("all", level)] = sum(counts[(skill, level)] for skill in rows)
        lines.append(Line(tuple((skill, level) for skill in rows), ("all", level)))

    table = protect(counts, lines=lines)

    assert recoverable_cells(counts, lines, table.suppressed) == set()
    for key, value in table.values.items():
        if counts[key] < 10:
            assert value == SUPPRESSED
        elif value != SUPPRESSED:
            assert value % 5 == 0 and abs(value - counts[key]) <= 2


def test_protect_is_deterministic():
    counts, lines = skill_table({"a": [11, 3, 12, 12, 40], "b": [9, 30, 30, 30, 30]})

    first = protect(counts, lines=lines)
    results = {tuple(sorted(map(str, protect(counts, lines=lines).suppressed))) for _ in range(5)}

    assert results == {tuple(sorted(map(str, first.suppressed)))}


def test_share_uses_only_published_values():
    assert share(20, 80) == 0.25
    assert share(SUPPRESSED, 80) == SUPPRESSED
    assert share(20, SUPPRESSED) == SUPPRESSED
    assert share(0, 0) == SUPPRESSED


def test_recoverable_cells_detects_a_single_suppression():
    """The checker itself must be able to fail."""
    counts, lines = skill_table({"data": [40, 3, 22, 13, 12]})

    assert recoverable_cells(counts, lines, {("data", "awareness")}) == {("data", "awareness")}
    assert list(itertools.islice(recoverable_cells(counts, lines, set()), 1)) == []


def test_protect_honours_forced_suppressions():
    counts, lines = skill_table({"data": [40, 30, 22, 13, 12]})

    table = protect(counts, lines=lines, forced={("data", "headcount")})

    assert table[("data", "headcount")] == SUPPRESSED
    assert recoverable_cells(counts, lines, table.suppressed) == set()

import random

import pytest

from reporting import coverage
from reporting.coverage import ALL, CoverageInput, at_or_above, protect_coverage
from reporting.disclosure import SUPPRESSED, DisclosureRule
from tests.reporting.test_disclosure import recoverable_cells


def _department(rng, people, skills=3):
    counts, headcount = {}, {}
    for _ in range(people):
        grade, profession = rng.randrange(1, 4), rng.randrange(1, 4)
        headcount[(grade, profession)] = headcount.get((grade, profession), 0) + 1
        for skill in rng.sample(range(1, skills + 1), rng.randint(0, skills)):
            level = rng.choice([1, 2, 3, 4])
            key = (grade, profession, skill, level)
            counts[key] = counts.get(key, 0) + 1
    return CoverageInput(counts=counts, platform_headcount=headcount)


@pytest.mark.parametrize("seed", range(15))
def test_protect_coverage_leaves_no_hidden_cell_recoverable(monkeypatch, seed):
    """Every skill's published figures, grades, professions and "at or above" cells included,
    with the equations a reader could use: none of the hidden ones can be solved for."""
    tables = []
    real = coverage.protect

    def capture(counts, **kwargs):
        table = real(counts, **kwargs)
        tables.append((counts, kwargs.get("lines", ()), table))
        return table

    monkeypatch.setattr(coverage, "protect", capture)
    rng = random.Random(seed)

    protect_coverage(
        _department(rng, rng.randint(15, 90)),
        skills=[1, 2, 3],
        rule=DisclosureRule(),
        targets={1: 2, 2: 3, 3: 4},
    )

    assert tables
    for counts, lines, table in tables:
        assert recoverable_cells(counts, lines, table.suppressed) == set()


def test_target_figure_is_published_when_a_level_it_adds_up_is_small():
    # 25 people: 13 at practitioner, nobody at expert.
    data = CoverageInput(counts={(1, 1, 7, 3): 13}, platform_headcount={(1, 1): 25})

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule(), targets={7: 3})

    assert at_or_above(cube, ALL, 7, 3) == 15
    assert cube.cell(ALL, 7, 4) == SUPPRESSED  # expert 0 is below 10
    assert cube.cell(ALL, 7, 3) == SUPPRESSED  # else 15 - practitioner would reveal expert


def test_headcount_hidden_for_one_skill_is_hidden_for_all():
    data = CoverageInput(
        counts={(1, 1, 1, 2): 12, (2, 1, 1, 2): 3, (1, 1, 2, 3): 11},
        platform_headcount={(1, 1): 40, (2, 1): 4},
    )

    cube = protect_coverage(data, skills=[1, 2], rule=DisclosureRule())

    assert cube.headcount(("grade", 2)) == SUPPRESSED
    hidden = {s for s in cube.slices if cube.headcount(s) == SUPPRESSED}
    assert ("grade", 2) in hidden

import random

import pytest

from reporting.coverage import ALL, LEVELS, CoverageInput, protect_coverage, published_lines
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
def test_protect_coverage_leaves_no_hidden_cell_recoverable(seed):
    """Every published cell of the cube, with every equation a reader could write between
    them (grades and professions adding up to the whole, per level and for the headcount):
    none of the hidden ones can be solved for."""
    rng = random.Random(seed)

    cube = protect_coverage(
        _department(rng, rng.randint(15, 90)), skills=[1, 2, 3], rule=DisclosureRule()
    )

    hidden = {key for key, value in cube.values.items() if value == SUPPRESSED}
    assert recoverable_cells(cube.values, published_lines(cube), hidden) == set()


def test_each_level_counts_the_people_at_it_or_above():
    # 25 people: 13 at practitioner, 12 at expert.
    data = CoverageInput(
        counts={(1, 1, 7, 3): 13, (1, 1, 7, 4): 12}, platform_headcount={(1, 1): 25}
    )

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule())

    assert [cube.at_or_above(ALL, 7, level) for level in LEVELS] == [25, 25, 25, 10]
    assert cube.headcount(ALL) == 25


def test_a_figure_is_never_below_a_part_of_it():
    # 55 at awareness alone and 0 above: "awareness or above" is the same 55, never 50.
    data = CoverageInput(counts={(1, 1, 7, 1): 53}, platform_headcount={(1, 1): 165})

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule())

    assert cube.at_or_above(ALL, 7, 1) == 55
    assert [cube.at_or_above(ALL, 7, level) for level in (2, 3, 4)] == [SUPPRESSED] * 3


def test_a_hidden_level_hides_the_levels_above_it_in_the_same_slice():
    # Grade 2 has 12 at awareness or above (hidden to protect grade 3's 4), 11 at working.
    data = CoverageInput(
        counts={(1, 1, 7, 2): 30, (2, 1, 7, 2): 11, (2, 1, 7, 1): 1, (3, 1, 7, 1): 4},
        platform_headcount={(1, 1): 40, (2, 1): 20, (3, 1): 20},
    )

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule())

    for slice_key in cube.slices:
        shown = [cube.at_or_above(slice_key, 7, level) != SUPPRESSED for level in LEVELS]
        assert shown == sorted(shown, reverse=True), (slice_key, shown)


def test_headcount_is_never_below_the_people_evidenced_in_its_slice():
    # The counts saw two more people in grade 1 than the profiles do now.
    data = CoverageInput(counts={(1, 1, 7, 2): 22}, platform_headcount={(1, 1): 20})

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule())

    assert cube.headcount(ALL) >= cube.at_or_above(ALL, 7, 1)


def test_an_upload_missing_a_grade_keeps_the_platform_count_for_it():
    data = CoverageInput(
        counts={(1, 1, 7, 2): 30, (2, 1, 7, 2): 20},
        platform_headcount={(1, 1): 40, (2, 1): 30},
        uploaded_headcount={1: 100},
    )

    cube = protect_coverage(data, skills=[7], rule=DisclosureRule())

    assert cube.headcount_source == "mixed"
    assert cube.platform_grades == [2]
    assert cube.headcount(("grade", 1)) == 100
    assert cube.headcount(("grade", 2)) == 30
    assert cube.headcount(ALL) == 130


def test_headcount_hidden_in_a_grade_keeps_the_department_published():
    data = CoverageInput(
        counts={(1, 1, 1, 2): 12, (2, 1, 1, 2): 3, (1, 1, 2, 3): 11},
        platform_headcount={(1, 1): 40, (2, 1): 4, (3, 1): 30},
    )

    cube = protect_coverage(data, skills=[1, 2], rule=DisclosureRule())

    assert cube.headcount(("grade", 2)) == SUPPRESSED
    # The smallest other grade goes too, or 75 - 40 - 30 would give it back.
    assert cube.headcount(("grade", 3)) == SUPPRESSED
    assert cube.headcount(("grade", 1)) == 40
    assert cube.headcount(ALL) == 75

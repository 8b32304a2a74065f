from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from challenges.scoring import disagrees, score_percent, weighted_score


def test_score_percent_maps_the_scale_ends():
    assert (score_percent(1), score_percent(4)) == (0, 100)


def test_weighted_score_weights_each_criterion():
    assert weighted_score([(3, 4), (1, 1)]) == Decimal("75.0")


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(1, 4)), min_size=1))
def test_weighted_score_stays_between_0_and_100(pairs):
    assert 0 <= weighted_score(pairs) <= 100


def test_disagrees_only_beyond_the_margin():
    assert not disagrees([Decimal(50), Decimal(70)], margin=20)
    assert disagrees([Decimal(50), Decimal("70.1")], margin=20)
    assert not disagrees([Decimal(0)], margin=1)

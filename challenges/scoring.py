"""Rubric arithmetic: weighted scores and where mentors disagree. Pure functions."""

from decimal import ROUND_HALF_UP, Decimal

LOWEST, HIGHEST = 1, 4


def score_percent(score: int) -> Decimal:
    """A 1..4 score on a 0..100 scale (1 is 0, 4 is 100)."""
    return Decimal(score - LOWEST) * 100 / (HIGHEST - LOWEST)


def weighted_score(scores: list[tuple[int, int]]) -> Decimal:
    """(weight, score) pairs -> the weighted score on 0..100, to one decimal place."""
    total_weight = sum(weight for weight, _ in scores)
    if not total_weight:
        return Decimal("0.0")
    value = sum(weight * score_percent(score) for weight, score in scores) / total_weight
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def disagrees(values: list[Decimal], *, margin: int) -> bool:
    """Whether the highest and lowest of the values are more than `margin` points apart."""
    return len(values) > 1 and max(values) - min(values) > margin

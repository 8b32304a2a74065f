"""Demo progress for the demo learner (built out with the learning journey)."""


def seed_learning(*, people: dict) -> None:
    """Put the demo learner part-way through courses. Idempotent."""

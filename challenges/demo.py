"""Demo challenges (built out with the challenges feature)."""


def seed_challenges(*, people: dict) -> None:
    """Create the demo challenges and submissions. Idempotent."""

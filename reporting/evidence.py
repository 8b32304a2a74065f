"""Which activities evidence which skills: the rule lives in learners.learning.evidence (the
skills profile reads the same one); the reporting job keeps its rows in EvidenceActivity.
"""

from learners.learning.evidence import EVIDENCE_VERBS, evidence_links

__all__ = ["EVIDENCE_VERBS", "evidence_activity_rows"]


def evidence_activity_rows() -> set[tuple[str, int, int]]:
    """(activity IRI, skill id, level) for every live course, its assessment and challenge."""
    return {(link.iri, link.skill_id, link.level) for link in evidence_links()}

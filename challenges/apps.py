from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from learners.learning.evidence import register_evidence_source

        from .selectors import challenge_evidence_links

        # Learners cannot import challenges: the skills evidence rule gets this app's
        # activity -> skill links through its registry.
        register_evidence_source(challenge_evidence_links)

from django.apps import AppConfig


def _email_changed(sender, instance, **kwargs):
    """Any write of an email address (allauth's views, the admin, SSO, seeding) re-derives the
    learner's xAPI identifiers: a signal is the one hook that sees them all (ADR: learner
    identity and attestation).
    """
    from learners.services.identity import learner_identifiers_sync

    learner_identifiers_sync(user_id=instance.user_id)


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learners"

    def ready(self):
        from allauth.account.models import EmailAddress
        from allauth.mfa.signals import authenticator_added
        from django.db.models.signals import post_delete, post_save

        from learners.identity import lrs_learner_identity
        from learners.lrs.hooks import register_learner_identity

        from .second_factor import remember_enrolment

        post_save.connect(_email_changed, sender=EmailAddress, dispatch_uid="learner_ifis_save")
        post_delete.connect(_email_changed, sender=EmailAddress, dispatch_uid="learner_ifis_delete")
        register_learner_identity(lrs_learner_identity)
        authenticator_added.connect(remember_enrolment, dispatch_uid="learners_mfa_enrolled")

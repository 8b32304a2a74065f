from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learners"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .second_factor import remember_enrolment

        authenticator_added.connect(remember_enrolment, dispatch_uid="learners_mfa_enrolled")

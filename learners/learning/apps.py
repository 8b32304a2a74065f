from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learners.learning"
    label = "learning"
    verbose_name = "Learning and progress"

    def ready(self):
        from learners.lrs.hooks import register_credentials_authenticator

        from .cmi5.tokens import au_token_authenticate

        register_credentials_authenticator(au_token_authenticate)

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "learners.privacy"
    label = "privacy"
    verbose_name = "Personal data"

    def ready(self):
        from django.core import checks

        from . import register

        checks.register(register.check_register, "privacy")

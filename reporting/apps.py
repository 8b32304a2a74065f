from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Skills coverage reporting"

    def ready(self):
        from learners.lrs.hooks import register_after_store

        from .tasks import schedule_coverage_update

        register_after_store(schedule_coverage_update)

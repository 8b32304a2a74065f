from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Curriculum"

    def ready(self):
        from .cache import connect_signals

        connect_signals()

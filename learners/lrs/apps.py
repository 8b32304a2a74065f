from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "learners.lrs"
    label = "lrs"
    verbose_name = "Learning Record Store"

    def ready(self):
        from . import lookups  # noqa: F401 - registers field__any
        from .erasure import forwarded_erasure_log
        from .hooks import register_agents_erased

        register_agents_erased(forwarded_erasure_log)

from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "learners.lrs"
    label = "lrs"
    verbose_name = "Learning Record Store"

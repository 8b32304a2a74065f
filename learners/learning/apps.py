from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learners.learning"
    label = "learning"
    verbose_name = "Learning and progress"

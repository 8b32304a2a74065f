"""Factories, one module per app: `from tests.factories.learners import UserFactory`."""

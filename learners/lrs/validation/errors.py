"""The error every validation failure raises."""


class StatementValidationError(Exception):
    """A statement breaks a rule of xAPI 1.0.3: 400, naming the property and the rule."""

    def __init__(self, message: str, property: str | None = None, rule: str | None = None):  # noqa: A002
        super().__init__(message)
        self.message = message
        self.property = property
        self.rule = rule

    def __str__(self):
        return self.message

"""Why a document request is refused. The API maps `status` to the HTTP response."""


class DocumentError(Exception):
    """A document request that cannot be carried out; nothing was changed."""

    status = 400

    def __init__(self, message: str, *, rule: str | None = None, property: str | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.property = property


class DocumentBadRequest(DocumentError):
    status = 400


class DocumentConflict(DocumentError):
    status = 409


class DocumentPreconditionFailed(DocumentError):
    status = 412

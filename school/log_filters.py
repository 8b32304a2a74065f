"""Logging filters named in settings.LOGGING (no Django imports: loaded before the apps)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx response (403, 404, 405 ...) is the client's error, not ours: log the one line
    Django writes ("Forbidden (Permission denied): /path") without the exception's traceback.
    5xx records keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

"""Log lines for users: the level in Dutch ("waarschuwing tekst afgekapt ..."), like the message.

Only the project's own handlers get this formatter; logging's level names stay as they are
(`logging.addLevelName` would rename them for every library and handler in the process).
"""

from __future__ import annotations

import logging

DUTCH_LEVELS = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "waarschuwing",
    logging.ERROR: "fout",
    logging.CRITICAL: "kritiek",
}
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


class DutchLevelFormatter(logging.Formatter):
    """Formats a record with its level named in Dutch; the record itself is left unchanged
    (other handlers of the same record still see "WARNING")."""

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(record.__dict__)
        copy.levelname = DUTCH_LEVELS.get(record.levelno, record.levelname.lower())
        return super().format(copy)


def dutch_handler() -> logging.Handler:
    """Return a handler to standard error that writes `LOG_FORMAT` with Dutch level names."""
    handler = logging.StreamHandler()
    handler.setFormatter(DutchLevelFormatter(LOG_FORMAT))
    return handler

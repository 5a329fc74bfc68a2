"""Keep chatty libraries quiet while a writer uses them, and keep what matters of what they say."""

from __future__ import annotations

import contextlib
import logging
from typing import Iterator

CHATTY_LOGGERS = ("weasyprint", "fontTools")


@contextlib.contextmanager
def quiet_loggers(names: tuple[str, ...] = CHATTY_LOGGERS) -> Iterator[None]:
    """WeasyPrint warns about CSS it ignores and fontTools about odd font headers: show only
    their errors while the block runs, and restore the levels afterwards."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


class Collected(logging.Handler):
    """Collects the messages of a logger that contain any of some words (WeasyPrint's accessibility errors)."""

    def __init__(self, words: tuple[str, ...]) -> None:
        super().__init__(logging.ERROR)
        self.words = words
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(word in message for word in self.words) and message not in self.messages:
            self.messages.append(message)


@contextlib.contextmanager
def collected(name: str, words: tuple[str, ...]) -> Iterator[Collected]:
    """Collect the error messages of logger ``name`` that contain one of ``words`` while the block runs."""
    handler = Collected(words)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)

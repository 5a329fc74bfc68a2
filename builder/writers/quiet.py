"""Keep chatty libraries quiet while a writer uses them."""

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

"""Bugs of ours in a command: the reader gets one line, the maintainer gets the whole traceback.

A command that fails on a user's bad input prints a report and the fix. A command that fails
because of a bug in this code must not show a traceback to the publisher, but the traceback must
not be lost either: it is written with its context to a log file whose path the message gives.
"""
from __future__ import annotations

import logging
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from dashboard.settings import SettingsError, load_settings

LOG = logging.getLogger("dashboard.crash")


def log_folder() -> Path:
    try:
        base = load_settings().cache_dir
    except SettingsError:
        base = Path(tempfile.gettempdir()) / "dashboard-releases"
    return base / "logs"


def record_crash(command: str, context: str, exc: BaseException) -> Path | None:
    """Write `exc`'s traceback and what was being done to a new log file; returns its path (None if
    even that failed, which is then logged)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    text = f"command: {command}\ncontext: {context}\n\n" + "".join(traceback.format_exception(exc))
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{command}-{stamp}.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        LOG.error("could not write the crash log; the traceback follows\n%s", text)
        return None
    LOG.debug("crash of %s recorded in %s", command, path)
    return path


def crash_message(command: str, context: str, exc: BaseException) -> str:
    """One line for the reader: what failed, that it is our bug, where the details are."""
    path = record_crash(command, context, exc)
    where = f" The details are in {path}." if path else ""
    return (f"{command} failed unexpectedly ({type(exc).__name__}: {str(exc)[:200]}). This is a bug in the "
            f"dashboard, not in your input.{where} Please report it with that file.")

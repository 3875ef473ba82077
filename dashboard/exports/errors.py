"""What can go wrong when exporting, as exceptions a page can turn into a plain message.

Each carries `message_key`, a key of the i18n catalogue, so the page says what happened in the
reader's language; `str(exc)` is the technical detail for logs and the command line.
"""
from __future__ import annotations


class ExportError(Exception):
    """Base of every export problem; `message_key` names the message to show a reader."""

    message_key = "export.failed"


class NothingToExport(ExportError):
    """The view holds no figures (e.g. a filter matched nothing): there is nothing to download."""

    message_key = "export.nothing"

    def __init__(self, detail: str = "the view holds no figures") -> None:
        super().__init__(f"nothing to export: {detail}")


class ExportUnavailable(ExportError):
    """Images cannot be made on this server (no Chromium, or it did not answer in time)."""

    message_key = "export.images_unavailable"

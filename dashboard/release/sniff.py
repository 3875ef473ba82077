"""What a file really is, from its first bytes: for messages about files that are not what their
names say (a CSV or an Excel workbook renamed .parquet, an HTML error page saved as JSON)."""
from __future__ import annotations

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PAR1", "a Parquet file"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--", b"<title")


def guess_file_kind(head: bytes) -> str | None:
    """A short description of what the bytes look like ('an HTML page', ...); None if unknown."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_HTML_STARTS):
        return "an HTML page (often a server's error or login page)"
    if text.startswith((b"{", b"[")):
        return "a JSON document"
    if not text:
        return None
    raw = text[:512]
    try:
        sample = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 3:  # a bad byte inside, not a character cut at the end of the sample
            return None
        sample = raw[: exc.start].decode("utf-8")
    if all(c.isprintable() or c in "\r\n\t" for c in sample):
        return "CSV or other plain text" if any(sep in sample for sep in ",;\t") else "plain text"
    return None

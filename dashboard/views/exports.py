"""Moved to `dashboard.exports.tables`; kept so existing imports keep working."""
from dashboard.exports.tables import FORMATS, release_table_bytes, to_format

__all__ = ["FORMATS", "release_table_bytes", "to_format"]

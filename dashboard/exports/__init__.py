"""Publication-ready exports of a view, and of whole releases (no streamlit here).

- `tables`: CSV (UTF-8 with BOM) / XLSX / JSON / Parquet bytes of a frame or a release table
- `xlsx`: the small deterministic XLSX writer behind `tables`
- `images`: PNG/SVG through Kaleido with one reused Chromium, timeouts, `ExportUnavailable`
- `stamp`: release id, DEMO notice and boundary attribution drawn into the exported figure
- `view`: `ExportView`, what one chart or map exports
- `story_pack`: per-format files of a view and the story pack ZIP
- `readme`, `citation`: README/LICENSE texts; house-style citation and BibTeX
- `permalink`: the URL that reopens a view, and the embed snippet
- `static_files`: every table of every release at a stable URL under `static/`
"""
from dashboard.exports.errors import ExportError, ExportUnavailable, NothingToExport
from dashboard.exports.view import ExportView

__all__ = ["ExportError", "ExportUnavailable", "ExportView", "NothingToExport"]

"""Attribution that every map, export or download showing the boundary layers must carry.

The boundary geometry is Open Development Vietnam's, licensed CC BY-SA 4.0; the processed layers in
`geodata/` are shared alike. The long text is the one required by `boundaries/SOURCES.md`, word for
word; the short versions are for tight spaces (map corners, chart footers) and link to the licence.
"""
from __future__ import annotations

BOUNDARY_LICENCE = "CC BY-SA 4.0"
BOUNDARY_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"

# Exact text from boundaries/SOURCES.md ("Any map, export or download that shows them must carry").
BOUNDARY_ATTRIBUTION = (
    "Boundaries: © Open Development Vietnam, CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/), via TaliaCao/Vietnam-Shape-Map and "
    "lvnhan/pdbs; simplified and joined to GSO codes by this project."
)

# The same attribution for Vietnamese readers (the English text above stays the reference).
BOUNDARY_ATTRIBUTION_VI = (
    "Ranh giới hành chính: © Open Development Vietnam, CC BY-SA 4.0 "
    "(https://creativecommons.org/licenses/by-sa/4.0/), qua TaliaCao/Vietnam-Shape-Map và "
    "lvnhan/pdbs; dự án này đã đơn giản hóa và gắn mã đơn vị hành chính của Tổng cục Thống kê."
)

BOUNDARY_ATTRIBUTION_SHORT = {
    "en": "Boundaries: © Open Development Vietnam, CC BY-SA 4.0; simplified by this project.",
    "vi": "Ranh giới: © Open Development Vietnam, CC BY-SA 4.0; dự án đã đơn giản hóa.",
}


def boundary_attribution(language: str = "en", short: bool = False) -> str:
    """The attribution line for a language ("en" or "vi"); the full text unless `short`."""
    if short:
        return BOUNDARY_ATTRIBUTION_SHORT.get(language, BOUNDARY_ATTRIBUTION_SHORT["en"])
    return BOUNDARY_ATTRIBUTION_VI if language == "vi" else BOUNDARY_ATTRIBUTION

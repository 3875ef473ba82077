"""Long texts of the methodology page: one Markdown file per language in `prose/`, split at `## `.

Translators edit `prose/methodology.vi.md` and `prose/methodology.en.md`; both must have the same
sections and the same placeholders (the contract's thresholds, filled in here).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dashboard.release.contract import LOW_N, LOW_N_EFF, MIN_DF, MIN_N

PROSE = Path(__file__).parent / "prose"
THRESHOLDS = {"min_n": MIN_N, "low_n": LOW_N, "low_n_eff": LOW_N_EFF, "min_df": MIN_DF}


@lru_cache(maxsize=4)
def methodology_sections(lang: str) -> tuple[tuple[str, str], ...]:
    """(title, markdown body) of every section of the methodology text in `lang` (vi or en)."""
    text = (PROSE / f"methodology.{lang}.md").read_text(encoding="utf-8").format(**THRESHOLDS)
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return tuple((title, "\n".join(body).strip()) for title, body in sections)


FLAGS_TEXT: dict[str, tuple[str, str]] = {
    "low_n": (f"Mẫu nhỏ: dưới {LOW_N} người trả lời hoặc cỡ mẫu hiệu dụng dưới {LOW_N_EFF}; khoảng tin cậy rộng, cần thận trọng.",
              f"Small sample: fewer than {LOW_N} respondents or an effective sample size under {LOW_N_EFF}; the interval "
              "is wide, read with care."),
    "suppressed": (f"Không công bố: dưới {MIN_N} người trả lời, con số không đủ tin cậy.",
                   f"Suppressed: fewer than {MIN_N} respondents, too unreliable to publish."),
    "provisional": ("Tạm tính: có thể được điều chỉnh trong bản phát hành sau.",
                    "Provisional: may be revised in a later release."),
}

"""The methodology page's account of one release: which sampling design and weights it used."""
from __future__ import annotations

from dashboard.i18n import t


def design_lines(descriptor: dict, lang: str) -> list[str]:
    """Sentences saying how the release's figures were estimated (its `survey_design`), or why
    there is no design to describe (published figures)."""
    design = descriptor.get("survey_design")
    if not isinstance(design, dict):
        return [t("m.design_none", lang)]
    lines = [t("m.design_weighted" if design.get("weighted") else "m.design_unweighted", lang)]
    for entry in design.get("designs", []):
        years = entry.get("years") or []
        span = f"{min(years)}–{max(years)}" if len(years) > 1 else "".join(map(str, years))
        lines.append(t("m.design_line", lang, geo=t(f"geo.{entry.get('geo_version')}", lang), years=span,
                       strata=t(f"design.strata.{entry.get('strata')}", lang), psu=t(f"design.psu.{entry.get('psu')}", lang),
                       declared=t("m.design_declared" if entry.get("declared") else "m.design_default", lang)))
        if entry.get("district_clusters"):
            lines.append(t("m.design_districts", lang, clusters=t(f"design.clusters.{entry['district_clusters']}", lang)))
        if entry.get("fpc"):
            lines.append(t("m.design_fpc", lang))
    return lines

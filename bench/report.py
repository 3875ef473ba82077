"""The benchmark's table: product vs naive baseline vs floor, the ratios, and the targets of issue 9."""
from __future__ import annotations

import json
import math
from pathlib import Path

TARGETS = {
    "warm_time_vs_floor": 1.25,  # warm map load within 1.25x the floor's time
    "warm_bytes_fewer_than_baseline": 40.0,  # at least 40x fewer bytes than the baseline
    "rerun_ms": 100.0,  # each page's rerun under 100 ms server time (median)
    "session_mb": 20.0,  # per-session memory
    "sessions_p95_under_1s": 200,  # concurrent interacting sessions with p95 < 1 s
}


APP_COLUMNS = ("product", "product_nginx", "baseline", "floor", "floor_map")


def _get(results: dict, *keys, default=math.nan):
    node = results
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


def _fmt(value, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value / 1e6:.2f} MB"
    if unit == "KB":
        return f"{value / 1e3:.1f} KB"
    return f"{value}"


def _ratio(a, b) -> str:
    try:
        if any(math.isnan(x) for x in (a, b)) or b == 0:
            return "–"
        return f"{a / b:.2f}×"
    except TypeError:
        return "–"


def comparison_rows(results: dict) -> list[tuple[str, str, str, str, str, str, str]]:
    """(figure, product direct, product via nginx, baseline, floor, floor with a map,
    product/baseline, product/floor)."""
    loads = results.get("loads", {})
    rows = []
    spec = [("cold start to first map drawn", ("cold_start",), "s"),
            ("map cold load: time", ("cold", "seconds"), "s"), ("map cold load: bytes", ("cold", "bytes"), "MB"),
            ("map warm reload: time", ("warm", "seconds"), "s"), ("map warm reload: bytes", ("warm", "bytes"), "KB"),
            ("change year: time to redraw", ("interaction", "seconds"), "s"),
            ("change year: bytes", ("interaction", "bytes"), "KB")]
    for label, keys, unit in spec:
        if keys == ("cold_start",):
            vals = [_get(results, "cold_start", app, "seconds") for app in APP_COLUMNS]
        else:
            vals = [_get(loads, app, *keys) for app in APP_COLUMNS]
        rows.append((label, *(_fmt(v, unit) for v in vals), _ratio(vals[0], vals[2]), _ratio(vals[0], vals[3])))
    return rows


def target_checks(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of issue 9; met None when not measured."""
    loads = results.get("loads", {})
    checks = []
    floor_s = _get(loads, "floor", "warm", "seconds")
    base_b = _get(loads, "baseline", "warm", "bytes")
    for app, name in (("product", "direct"), ("product_nginx", "via nginx")):
        t = _get(loads, app, "warm", "seconds")
        b = _get(loads, app, "warm", "bytes")
        r = t / floor_s if floor_s and not math.isnan(t) else math.nan
        checks.append((f"warm map load ≤ {TARGETS['warm_time_vs_floor']}× floor time ({name})",
                       f"{r:.2f}× ({t:.2f} s vs {floor_s:.2f} s)", None if math.isnan(r) else r <= TARGETS["warm_time_vs_floor"]))
        f = base_b / b if b and not math.isnan(b) else math.nan
        checks.append((f"warm map load ≥ {TARGETS['warm_bytes_fewer_than_baseline']:.0f}× fewer bytes than baseline ({name})",
                       f"{f:.1f}× fewer ({_fmt(b, 'KB')} vs {_fmt(base_b, 'MB')})",
                       None if math.isnan(f) else f >= TARGETS["warm_bytes_fewer_than_baseline"]))
    reruns = results.get("reruns", {})
    if reruns:
        slow = {p: r["median_ms"] for p, r in reruns.items() if r["median_ms"] >= TARGETS["rerun_ms"]}
        worst = max(reruns.items(), key=lambda kv: kv[1]["median_ms"])
        checks.append((f"every page's rerun < {TARGETS['rerun_ms']:.0f} ms (median)",
                       f"{len(reruns) - len(slow)}/{len(reruns)} pages; slowest {worst[0]} {worst[1]['median_ms']:.0f} ms",
                       not slow))
    per = _get(results, "memory", "per_session_mb")
    if not math.isnan(per):
        checks.append((f"memory per session < {TARGETS['session_mb']:.0f} MB", f"{per:.2f} MB", per < TARGETS["session_mb"]))
    held = _get(results, "load_test", "sessions_held_p95_under_1s")
    if not (isinstance(held, float) and math.isnan(held)):
        replicas = _get(results, "load_test", "replicas", default="?")
        checks.append((f"≥ {TARGETS['sessions_p95_under_1s']} interacting sessions with p95 < 1 s",
                       f"{held} sessions ({replicas} replicas behind nginx)", held >= TARGETS["sessions_p95_under_1s"]))
    return checks


def _table(header: tuple[str, ...], rows: list[tuple]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))  # noqa: E731
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def format_report(results: dict) -> str:
    """Everything as printed by `make bench`."""
    parts = ["", "== Map page: product vs naive baseline vs floor (medians; headless Chromium, loopback) ==",
             _table(("figure", "product", "product+nginx", "baseline", "floor", "floor+map", "product/baseline",
                     "product/floor"),
                    comparison_rows(results))]
    reruns = results.get("reruns", {})
    if reruns:
        parts += ["", "== Server time per rerun (websocket client, demo release, median) ==",
                  _table(("page", "median ms", "first run ms", "KB per rerun"),
                         [(p, f"{r['median_ms']:.0f}", r["first_ms"], f"{r['bytes_per_rerun'] / 1e3:.1f}")
                          for p, r in reruns.items()])]
    page_bytes = results.get("page_bytes")
    if page_bytes:
        from bench.page_bytes import format_page_bytes

        parts += ["", "== First load of every page, normal vs light version (?lite=true), empty cache, demo release ==",
                  _table(("page", "normal", "light", "saved"), format_page_bytes(page_bytes))]
    memory = results.get("memory")
    if memory:
        n = memory["sessions"]
        parts += ["", f"== Memory (one server, map page) ==  RSS 1 session {memory['rss_1_session_mb']:.0f} MB, "
                      f"{n} sessions {memory[f'rss_{n}_sessions_mb']:.0f} MB, per session {memory['per_session_mb']:.2f} MB"]
    load = results.get("load_test")
    if load and load.get("steps"):
        parts += ["", f"== Load test via nginx ({load.get('replicas')} replicas; each session changes the year every "
                      f"~{load['think_s']:.0f} s) ==",
                  _table(("sessions", "interactions/s", "p50 ms", "p95 ms", "max ms", "errors", "open s"),
                         [(s["sessions"], s["per_second"], s["p50_ms"], s["p95_ms"], s["max_ms"], s["errors"], s["open_s"])
                          for s in load["steps"]])]
        if load.get("stopped"):
            parts.append(f"stopped: {load['stopped']}")
    profile = results.get("profile", {})
    if profile.get("own_code"):
        parts += ["", f"== Profile (py-spy, {profile['samples']} samples over {profile['reruns']} reruns of all pages) ==",
                  "app code, inclusive share: " + "; ".join(
                      f"{r['file']}:{r['function']} {r['share']:.0%}" for r in profile["own_code"][:8]),
                  "time finally spent in: " + "; ".join(
                      f"{r['package']} {r['share']:.0%}" for r in profile["time_spent_in"][:8])]
    if results.get("phone"):
        from bench.phone import format_phone

        parts += ["", format_phone(results["phone"])]
    checks = target_checks(results)
    parts += ["", "== Targets (issue 9) ==",
              _table(("target", "measured", "met"),
                     [(t, m, "–" if ok is None else ("yes" if ok else "NO")) for t, m, ok in checks])]
    parts.append(f"\nbench wall time {results.get('wall_s', 0):.0f} s; results in bench/results.json")
    return "\n".join(parts)


def write_results(results: dict, path: Path) -> None:
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str), encoding="utf-8")

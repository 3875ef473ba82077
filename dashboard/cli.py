"""The publisher's command line: validate, demo, build, geodata, publish.

Each command imports its module lazily so `--help` is fast and a missing optional piece does not
break the other commands. Exit codes: 0 success, 1 the input is wrong (a report says why),
2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import paths


def _cmd_validate(args: argparse.Namespace) -> int:
    from dashboard.validate import run_validate_command

    return run_validate_command(args.path, as_json=args.json)


def _cmd_demo(args: argparse.Namespace) -> int:
    from dashboard.demo import run_demo_command

    return run_demo_command(args.out, seed=args.seed)


def _cmd_real(args: argparse.Namespace) -> int:
    from dashboard.real_release import run_real_command

    return run_real_command(args.csv, args.out)


def _cmd_build(args: argparse.Namespace) -> int:
    from dashboard.build_release import run_build_command

    return run_build_command(args.answers, args.out, args.year, args.release_id, args.source_title, args.source_url,
                             args.demo)


def _cmd_geodata(args: argparse.Namespace) -> int:
    from dashboard.geo.build import run_geodata_command

    return run_geodata_command(raw_dir=args.raw, out_dir=args.out)


def _cmd_defaults(args: argparse.Namespace) -> int:
    from dashboard.catalog import ensure_default_releases

    return ensure_default_releases(force=args.force)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Publisher's pipeline for the public satisfaction results dashboard.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check a release folder or URL against contract v1")
    p.add_argument("path", help="release folder (with datapackage.json) or http(s):// URL of one")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("demo", help="generate the synthetic (DEMO) release, seeded and deterministic")
    p.add_argument("-o", "--out", type=Path, default=paths.RELEASES_DIR / "demo",
                   help="release folder to write (default: data/releases/demo)")
    p.add_argument("--seed", type=int, default=20251, help="random seed (default 20251)")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("build", help="survey answers (CSV, XLSX, Parquet) -> a validated release")
    p.add_argument("answers", type=Path, help="answers file in the schema of the README")
    p.add_argument("-o", "--out", type=Path, required=True, help="release folder to write")
    p.add_argument("--year", type=int, help="use only this survey year")
    p.add_argument("--release-id", help="release id (default: survey-YEAR[-YEAR])")
    p.add_argument("--source-title", default="", help="who ran the survey, shown as the figures' source")
    p.add_argument("--source-url", help="address of the survey's report")
    p.add_argument("--demo", action="store_true", help="mark the release as DEMO (synthetic answers)")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("real", help="build the real release from the published-figures CSV")
    p.add_argument("--csv", type=Path, default=paths.SOURCES_DIR / "sipas_published.csv",
                   help="published figures (default: data/sources/sipas_published.csv)")
    p.add_argument("-o", "--out", type=Path, default=paths.RELEASES_DIR / "sipas-published",
                   help="release folder to write (default: data/releases/sipas-published)")
    p.set_defaults(func=_cmd_real)

    p = sub.add_parser("defaults", help="build any missing default release (used by make run)")
    p.add_argument("--force", action="store_true", help="rebuild even if present")
    p.set_defaults(func=_cmd_defaults)

    p = sub.add_parser("geodata", help="rebuild geodata/ from the raw boundary files")
    p.add_argument("--raw", type=Path, default=paths.RAW_BOUNDARIES_DIR,
                   help="folder of raw boundary files (default: ../shared/boundaries/raw)")
    p.add_argument("-o", "--out", type=Path, default=paths.GEODATA_DIR,
                   help="output folder (default: geodata/)")
    p.set_defaults(func=_cmd_geodata)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return args.func(args)

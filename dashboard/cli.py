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
    from dashboard.release.validate import run_validate_command

    return run_validate_command(args.path, as_json=args.json)


def _cmd_demo(args: argparse.Namespace) -> int:
    from dashboard.build.demo import run_demo_command

    return run_demo_command(args.out, seed=args.seed)


def _cmd_real(args: argparse.Namespace) -> int:
    from dashboard.build.published import run_real_command

    return run_real_command(args.csv, args.out, args.surveys, args.notes)


def _cmd_build(args: argparse.Namespace) -> int:
    from dashboard.build.from_answers import run_build_command

    return run_build_command(args.answers, args.out, args.year, args.release_id, args.source_title, args.source_url,
                             args.demo)


def _cmd_geodata(args: argparse.Namespace) -> int:
    from dashboard.geo.build import run_geodata_command

    return run_geodata_command(raw_dir=args.raw, out_dir=args.out)


def _cmd_publish(args: argparse.Namespace) -> int:
    from dashboard.publishing.publish import run_publish_command

    return run_publish_command(args.release, args.to, rollback=args.rollback, lock_timeout_s=args.wait)


def _cmd_defaults(args: argparse.Namespace) -> int:
    from dashboard.exports.map_geometry import STATIC_DIR
    from dashboard.exports.static_files import write_all_release_files
    from dashboard.publishing.defaults import ensure_default_releases
    from dashboard.publishing.editions import ensure_root_editions

    status = ensure_default_releases(force=args.force)
    if write_all_release_files() != 0:  # the app works without them: warn, do not stop `make run`
        print("warning: some stable data files could not be written (see above)", file=sys.stderr)
    # The light edition of each default release: in data/releases/.light/ for nginx (`make serve`),
    # mirrored to static/light/ for Streamlit alone (`make run`).
    if ensure_root_editions(paths.RELEASES_DIR, every_release=True, static_dir=STATIC_DIR) != 0:
        print("warning: a light edition could not be built (see above); the app links to its own light "
              "version instead", file=sys.stderr)
    return status


def _cmd_light_edition(args: argparse.Namespace) -> int:
    from dashboard.exports.map_geometry import STATIC_DIR
    from dashboard.publishing.editions import ensure_root_editions

    return ensure_root_editions(args.to, every_release=args.all, static_dir=STATIC_DIR if args.static else None)


def _cmd_static_files(args: argparse.Namespace) -> int:
    from dashboard.exports.static_files import write_all_release_files

    return write_all_release_files(args.releases, args.out)


def _cmd_export_static(args: argparse.Namespace) -> int:
    from dashboard.static_site import run_export_static_command

    if args.images:
        print("export-static: --no-images/--all-images have no effect: charts are inline SVG now", file=sys.stderr)
    return run_export_static_command(args.release, args.out, languages=args.lang, tables=args.tables,
                                     site_url=args.site_url)


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

    p = sub.add_parser(
        "real", help="build the real release from the CSV files of published figures",
        description="Read one or more CSV files of published figures (one row per figure or rank, each with its\n"
                    "source address), merge them, check every row and write the real release atomically.\n"
                    "Every problem is reported as FILE:LINE: what is wrong; how to fix it. With any problem\n"
                    "nothing is written and the published release is untouched (exit 1).\n"
                    "A key (year, geo_version, level, unit_code, service, indicator) given twice is refused\n"
                    "unless one row says status=published and the others status=superseded (a conflict note).",
        epilog="examples:\n  python -m dashboard real\n"
               "  python -m dashboard real --csv data/sources/published/*.csv --csv new_2025.csv -o /tmp/try",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--csv", type=Path, action="extend", nargs="+", metavar="FILE",
                   help="figures files, merged (default: every data/sources/published/*.csv)")
    p.add_argument("--surveys", type=Path, default=paths.SOURCES_DIR / "surveys.csv",
                   help="the surveys the figures come from (default: data/sources/surveys.csv)")
    p.add_argument("--notes", type=Path, default=paths.SOURCES_DIR / "notes.csv",
                   help="the release's notes: method breaks, conflicts, caveats (default: data/sources/notes.csv)")
    p.add_argument("-o", "--out", type=Path, default=paths.RELEASES_DIR / "sipas-published",
                   help="release folder to write (default: data/releases/sipas-published)")
    p.set_defaults(func=_cmd_real)

    p = sub.add_parser(
        "publish", help="validate a release, copy it into a data root and make it current (atomically)",
        description="Validate RELEASE (a folder or http(s) URL), copy it to DATA_ROOT/<release id>/ and switch\n"
                    "DATA_ROOT/current to it in one atomic step; the running app follows within seconds.\n"
                    "A broken release is refused and nothing already published changes. Published releases\n"
                    "are never overwritten: a different release needs a new id; the identical one again is\n"
                    "a no-op (or makes it current again). Two publishes at once run one after the other.\n"
                    "Exit 0 done, 1 refused (the message says why and how to fix it), 2 usage.",
        epilog="examples:\n  python -m dashboard publish /tmp/survey-2025 --to data/releases\n"
               "  python -m dashboard publish --rollback --to data/releases",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("release", nargs="?", help="release folder (with datapackage.json) or http(s):// URL of one")
    p.add_argument("--to", type=Path, default=paths.RELEASES_DIR, metavar="DATA_ROOT",
                   help="data root holding the releases and the 'current' pointer (default: data/releases)")
    p.add_argument("--rollback", action="store_true",
                   help="make the previous current release current again (no RELEASE needed)")
    p.add_argument("--wait", type=float, default=120.0, metavar="SECONDS",
                   help="how long to wait for another publish on the same data root (default 120)")
    p.set_defaults(func=_cmd_publish)

    p = sub.add_parser("defaults", help="build any missing default release and its light edition (used by make run)")
    p.add_argument("--force", action="store_true", help="rebuild even if present")
    p.set_defaults(func=_cmd_defaults)

    p = sub.add_parser("light-edition", help="build the light edition of a data root's releases if missing",
                       description="Build the light edition (static HTML) of the current release of DATA_ROOT, or "
                                   "of every release with --all, where it is missing or of an older format, and "
                                   "point DATA_ROOT/.light/current at the current release's. `publish` does this "
                                   "for every release it publishes; this is for releases published before.")
    p.add_argument("--to", type=Path, default=paths.RELEASES_DIR, metavar="DATA_ROOT",
                   help="data root holding the releases and the 'current' pointer (default: data/releases)")
    p.add_argument("--all", action="store_true", help="every release of the data root, not only the current one")
    p.add_argument("--static", action="store_true",
                   help="also copy them to static/light/ (Streamlit serves them there without nginx)")
    p.set_defaults(func=_cmd_light_edition)

    p = sub.add_parser("static-files", help="write every release's tables at stable URLs under static/releases/",
                       description="Write static/releases/<release id>/<table>.{csv,json,xlsx,parquet} and "
                                   "datapackage.json for every release; Streamlit serves them at "
                                   "/app/static/releases/... Up-to-date releases are left alone.")
    p.add_argument("--releases", type=Path, default=paths.RELEASES_DIR, help="folder of releases (default: data/releases)")
    p.add_argument("-o", "--out", type=Path, default=paths.STATIC_DIR,
                   help="static folder to write into (default: static/)")
    p.set_defaults(func=_cmd_static_files)

    p = sub.add_parser("export-static", help="write the light (static) edition of a release: plain HTML, inline SVG",
                       description="Write a folder of plain HTML pages (index, one per service and per province, "
                                   "methodology, data) in Vietnamese and English, whose charts and maps are inline "
                                   "SVG (no JavaScript, no chart library), with the tables of their numbers and the "
                                   "release's tables, that any web server can serve without Python. It prints the "
                                   "size of the largest page (raw and gzip). `publish` writes the same edition "
                                   "beside each release it publishes.",
                       epilog="example:\n  python -m dashboard export-static data/releases/demo -o /tmp/site\n"
                              "  python -m dashboard export-static demo -o /tmp/site --tables light",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("release", help="release folder, release id under data/releases, or http(s):// URL")
    p.add_argument("-o", "--out", type=Path, required=True, help="folder to write (created; files in it are replaced)")
    p.add_argument("--lang", choices=["vi", "en", "both"], default="both", help="languages to write (default both)")
    p.add_argument("--tables", choices=["all", "light"], default="all",
                   help="the release's tables as CSV, JSON, XLSX and Parquet (all, default) or CSV and Parquet (light)")
    p.add_argument("--site-url", default="/light/", metavar="PATH",
                   help="the address the folder is served at, for the 404 pages' links (default /light/)")
    # Accepted for scripts written for the Plotly edition; its images are gone (charts are SVG now).
    p.add_argument("--no-images", "--all-images", dest="images", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=_cmd_export_static)

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
    try:
        return args.func(args)
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line here, the traceback in a log file
        from dashboard.crash_log import crash_message

        print(crash_message(args.command, " ".join(sys.argv), exc), file=sys.stderr)
        return 1

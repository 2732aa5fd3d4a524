"""The ``kit`` command: ``kit data validate|quality|add-source``, ``kit run``, ``kit bless``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _validate(args: argparse.Namespace) -> int:
    from kit import schema
    from kit.paths import data_dir

    folder = Path(args.data_dir) if args.data_dir else data_dir()
    problems = schema.check_package(folder)
    if not args.quick and not problems:
        try:
            problems += _frictionless(folder)
        except ModuleNotFoundError as exc:
            if exc.name != "frictionless":
                raise
            print("kit data validate: the reference validator frictionless is not installed: "
                  "pip install -e '.[validate]' (or --quick for the kit's own checks only)", file=sys.stderr)
            return 2
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"data package valid: {folder}")
    return 0


def _frictionless(folder: Path) -> list:
    """The same package checked by frictionless, the field's reference validator."""
    from frictionless import Package

    from kit.schema import Problem

    report = Package(str(folder / "datapackage.json")).validate()
    out = []
    for task in report.tasks:
        for err in task.errors:
            out.append(Problem(Path(task.name).name + ".csv" if task.name else "?",
                               getattr(err, "row_number", 0) or 0, getattr(err, "field_name", "") or "",
                               f"frictionless: {err.message}"))
    return out


def _quality(args: argparse.Namespace) -> int:
    import json

    from kit import quality
    from kit.paths import data_dir

    folder = Path(args.data_dir) if args.data_dir else data_dir()
    measured = quality.measure(folder)
    moved = _sensitivity(Path(args.reports), args.min_change)
    failing = quality.over_limit(measured["tables"])
    src = measured["sources"]
    undated_limit = measured["max_undated_sources_percent"]
    undated_over = undated_limit is not None and src["undated_percent"] > undated_limit
    if args.json:
        print(json.dumps({"tables": measured["tables"].to_dict(orient="records"), "sources": src,
                          "max_undated_sources_percent": undated_limit,
                          "target_undated_sources_percent": measured["target_undated_sources_percent"],
                          "key_results_moved_without_weak_sources": moved,
                          "within_limits": failing.empty and not undated_over}, indent=1, ensure_ascii=False))
    else:
        print(_quality_text(measured["tables"], src, undated_limit, measured["target_undated_sources_percent"], moved,
                            args.min_change))
    return 0 if failing.empty and not undated_over else 1


def _quality_text(tables, src: dict, undated_limit: float | None, undated_target: float | None, moved: dict,
                  min_change: float) -> str:
    """The quality report for a terminal."""
    grade_cols = [c for c in tables.columns if c.endswith("_percent")
                  and c not in ("weak_only_percent", "limit_percent", "target_percent")]
    head = ["table", "rows", *[c.removesuffix("_percent") + " %" for c in grade_cols], "weak-only", "weak-only %",
            "limit %", "target %", ""]
    body = [[r["table"], str(r["rows"]), *[f"{r[c]:.1f}" for c in grade_cols], str(r["weak_only_rows"]),
             f"{r['weak_only_percent']:.1f}", "—" if r["limit_percent"] is None else f"{r['limit_percent']:g}",
             "—" if r["target_percent"] is None else f"{r['target_percent']:g}",
             "OVER" if r["limit_percent"] is not None and r["weak_only_percent"] > r["limit_percent"] else ""]
            for r in tables.to_dict(orient="records")]
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    lines = ["Rows by the grade of their source (percent of the table's rows). A limit above its target holds a table "
             "at the share reached: no better stored page was found for its weak-only rows (data/README.md).",
             fmt(head), *map(fmt, body), ""]
    over = undated_limit is not None and src["undated_percent"] > undated_limit
    lines.append(f"Undated sources: {src['undated']} of {src['sources']} ({src['undated_percent']:.1f} %; "
                 f"limit {undated_limit:g} %, target {undated_target:g} %){' OVER' if over else ''}")
    lines.append("")
    if not moved:
        lines.append("Key results without weak sources: no report in the reports folder was run with min_grade set "
                     "(each notebook's `reputable` parameter set is: run `kit run`).")
    for report, rows in moved.items():
        lines.append(f"Key results of {report} that move by {min_change:g} % or more (a year by any) without weak-only rows:")
        lines += [f"  {r['key_result']}: {r['default']} -> {r['weak_sources_left_out']}"
                  + (f" ({r['change']})" if r["change"] else "") for r in rows] or ["  none"]
    return "\n".join(lines)


def _sensitivity(reports: Path, min_change: float) -> dict[str, list[dict]]:
    """Per report run with ``min_grade`` set, the key results that differ from its notebook's default run."""
    import json

    import yaml

    from kit import quality
    from kit.runner.discover import find_project

    root = find_project(Path.cwd()).root
    try:
        manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))["reports"]
    except (FileNotFoundError, KeyError, ValueError):
        return {}
    moved = {}
    for key, entry in sorted(manifest.items()):
        notebook, _ = key.split("/", 1)
        default = manifest.get(f"{notebook}/default", {})
        params = entry.get("params")
        if key.endswith("/default") or entry.get("status") != "ok" or default.get("status") != "ok" or not params:
            continue
        try:
            values = yaml.safe_load((root / params).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(values, dict) and values.get("min_grade"):
            units = {i["name"]: i.get("unit", "") for i in (default.get("summary") or {}).get("key_results", [])}
            moved[key] = quality.moves(default["results"], entry["results"], min_change, units)
    return moved


def _add_source(args: argparse.Namespace) -> int:
    from kit import sourcing
    from kit.paths import data_dir

    folder = Path(args.data_dir) if args.data_dir else data_dir()
    try:
        sid, added = sourcing.add_source(folder, args.url, args.publisher, args.kind, args.grade, args.title or "",
                                         args.date or "", args.precision or "")
    except ValueError as exc:
        print(f"kit data add-source: {exc}", file=sys.stderr)
        return 2
    print(sid)
    if not added:
        print(f"(already in {folder.name}/sources.csv)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="work with the curated data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    val = data_sub.add_parser("validate", help="check every table against data/datapackage.json")
    val.add_argument("--data-dir", help="data folder (default: $KIT_DATA_DIR or data/)")
    val.add_argument("--quick", action="store_true", help="skip the frictionless pass (the kit's own checks only)")
    val.set_defaults(func=_validate)
    qual = data_sub.add_parser(
        "quality", help="how well sourced the data is: rows by source grade, weak-only rows, undated sources",
        description="Per table and overall: the share of rows by the grade of their source, the rows resting on "
                    "weak sources only against the limits in datapackage.json (kit:quality), the undated "
                    "sources, and, from the reports folder, the key results that move when a parameter set "
                    "with min_grade leaves weak-only rows out. Exit code 1 when a limit is exceeded.")
    qual.add_argument("--data-dir", help="data folder (default: $KIT_DATA_DIR or data/)")
    qual.add_argument("--reports", default="reports", help="reports folder to compare runs from (default: reports/)")
    qual.add_argument("--min-change", type=float, default=5.0, metavar="PERCENT",
                      help="list key results that move by at least this percent (default: 5; a calendar year by any number of years)")
    qual.add_argument("--json", action="store_true", help="print JSON instead of text")
    qual.set_defaults(func=_quality)
    add = data_sub.add_parser(
        "add-source", help="append a source to data/sources.csv and print its id",
        description="Append a source to sources.csv with its id computed by the one rule (host label and six "
                    "hex digits of the URL's SHA-1) and print the id; a URL already there prints its id.")
    add.add_argument("url", help="the page whose text states the figure")
    add.add_argument("--publisher", required=True, help="publisher (with the original outlet where the page is a copy)")
    add.add_argument("--kind", required=True, help="filing, company_release, press_release_copy, research_firm, news, "
                                                   "analysis, aggregator")
    add.add_argument("--grade", required=True, help="primary, primary_copy, reputable or weak (see data/README.md)")
    add.add_argument("--title", help="title as seen on the page")
    add.add_argument("--date", help="publication date, YYYY-MM-DD")
    add.add_argument("--precision", help="day (default with --date), month, year or inferred")
    add.add_argument("--data-dir", help="data folder (default: $KIT_DATA_DIR or data/)")
    add.set_defaults(func=_add_source)

    from kit import bless

    bless.add_command(sub)
    from kit.runner import cli as runner_cli

    runner_cli.add_commands(sub)
    return parser


#: Imported by jsonschema (through nbformat and frictionless) when installed, yet used by no schema the kit
#: checks: ``rfc3987_syntax`` compiles about 40 Lark grammars on import, a second of CPU, for the "iri"
#: string formats alone (python-jsonschema/jsonschema#1428). The ``kit`` command starts without them.
UNUSED_IMPORTS = ("rfc3987_syntax",)


def main(argv: list[str] | None = None) -> int:
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # importing it raises ImportError; jsonschema skips those formats
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except KeyboardInterrupt:  # before a command took Ctrl-C over itself (kit run does, once it runs)
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

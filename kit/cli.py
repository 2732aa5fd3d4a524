"""The ``kit`` command: ``kit data validate``, ``kit run``, ``kit bless``."""
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="work with the curated data")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    val = data_sub.add_parser("validate", help="check every table against data/datapackage.json")
    val.add_argument("--data-dir", help="data folder (default: $KIT_DATA_DIR or data/)")
    val.add_argument("--quick", action="store_true", help="skip the frictionless pass (the kit's own checks only)")
    val.set_defaults(func=_validate)

    from kit import bless

    bless.add_command(sub)
    from kit.runner import cli as runner_cli

    runner_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""The ``lm-eval-passk`` command (also ``python -m lm_eval_passk``)."""

from __future__ import annotations

import argparse

from . import tasks_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="lm-eval-passk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tasks-path", help="print the task folder, for lm_eval --include_path")
    args = parser.parse_args(argv)
    if args.command == "tasks-path":
        print(tasks_path())

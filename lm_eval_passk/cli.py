"""The ``lm-eval-passk`` command (also ``python -m lm_eval_passk``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import tasks_path
from .settings import PassKConfigError

PROG = "lm-eval-passk"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("tasks-path", help="print the task folder, for lm_eval --include_path")

    bootstrap = argparse.ArgumentParser(add_help=False)
    bootstrap.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                           help="bootstrap resamples of the problems for the confidence band (default 1000)")
    bootstrap.add_argument("--confidence", type=float, default=0.95, help="band coverage (default 0.95)")
    bootstrap.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    bootstrap.add_argument("--no-plots", action="store_true", help="write tables only (no matplotlib needed)")

    report = commands.add_parser(
        "report", parents=[bootstrap],
        help="pass@k curve, table, plot and unsolved share per task of one run",
        description="RUN_DIR is the folder given to lm_eval --output_path ... --log_samples, its model "
                    "subfolder, or one results_*.json file.")
    report.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    report.add_argument("--out", type=Path, help="output folder (default RUN_DIR/passk_report)")

    compare = commands.add_parser(
        "compare", parents=[bootstrap],
        help="a base model (first run) against others: curves, crossover k, ΔSE, solvable sets, histograms, "
             "paired statistics, per-subset breakdown, a table of all models")
    compare.add_argument("runs", type=Path, nargs="+", metavar="RUN_DIR", help="base model's run first")
    compare.add_argument("--labels", help="comma-separated legend labels, one per run (default: model names)")
    compare.add_argument("--out", type=Path, default=Path("passk_compare"),
                         help="output folder (default ./passk_compare)")

    trajectory = commands.add_parser(
        "trajectory", parents=[bootstrap],
        help="pass@1, pass@k_max (and --k) against training step, per benchmark, with a table",
        description="One run per training step (checkpoint) of the same model on the same benchmarks.")
    trajectory.add_argument("runs", type=Path, nargs="+", metavar="RUN_DIR", help="one run per step")
    trajectory.add_argument("--steps", help="comma-separated step of each run, e.g. 0,150,300 (default: read "
                                            "from --labels or the folder names, e.g. step_150, ckpt-300)")
    trajectory.add_argument("--labels", help="comma-separated labels, one per run (default: model names)")
    trajectory.add_argument("--k", help="comma-separated further k to plot besides 1 and k_max, e.g. 8,64")
    trajectory.add_argument("--x-label", default="training step", help="what the steps are (default: training step)")
    trajectory.add_argument("--out", type=Path, default=Path("passk_trajectory"),
                            help="output folder (default ./passk_trajectory)")

    rescore = commands.add_parser(
        "rescore", help="grade a run's saved responses again into a new run folder (no generation)")
    rescore.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    rescore.add_argument("--grader", required=True, help="math grading mode (see lm_eval_passk.math.grading)")
    rescore.add_argument("--out", type=Path, required=True, help="new run folder to write")
    rescore.add_argument("--timeout", type=float, help="seconds per answer comparison (default: the run's)")
    rescore.add_argument("--workers", type=int, help="grading worker processes (default: one per CPU)")
    return parser


def _bootstrap(args: argparse.Namespace):
    from .report import BootstrapSettings

    if args.bootstrap < 1 or not 0 < args.confidence < 1:
        raise PassKConfigError("--bootstrap must be >= 1 and --confidence between 0 and 1")
    return BootstrapSettings(iterations=args.bootstrap, confidence=args.confidence, seed=args.seed)


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"{PROG}: note: {line}", file=sys.stderr)


def _report(args: argparse.Namespace) -> list[str]:
    from .report import load_run, write_report

    run = load_run(args.run_dir)
    out = args.out or (args.run_dir if args.run_dir.is_dir() else args.run_dir.parent) / "passk_report"
    _warn(run.notes)
    if not run.benchmarks:
        return run.errors or [f"no pass@k samples could be read from {run.results_path.parent}"]
    written = write_report(run, out, _bootstrap(args), formats=() if args.no_plots else ("png", "svg"))
    print(f"wrote {len(written)} files to {out} (see {out / 'summary.md'})")
    return run.errors


def _number_list(text: str | None, option: str, count: int | None, kind: type) -> list | None:
    if text is None:
        return None
    try:
        values = [kind(part) for part in text.split(",")]
    except ValueError:
        raise PassKConfigError(f"{option} takes comma-separated numbers, got {text!r}") from None
    if count is not None and len(values) != count:
        raise PassKConfigError(f"{option} has {len(values)} values for {count} runs")
    return values


def _load_runs(args: argparse.Namespace):
    from .report import load_run
    from .report.comparison import unique_labels

    labels = args.labels.split(",") if args.labels else [None] * len(args.runs)
    if len(labels) != len(args.runs):
        raise PassKConfigError(f"--labels has {len(labels)} labels for {len(args.runs)} runs")
    runs = [load_run(path, label) for path, label in zip(args.runs, labels)]
    for run, label in zip(runs, unique_labels([r.label for r in runs])):
        run.label = label
        _warn(run.notes)
    return runs, labels


def _compare(args: argparse.Namespace) -> list[str]:
    from .report import write_comparison

    if len(args.runs) < 2:
        raise PassKConfigError("compare needs at least two runs: the base model's first, then the others")
    runs, _ = _load_runs(args)
    written, notes, errors = write_comparison(runs, args.out, _bootstrap(args),
                                              formats=() if args.no_plots else ("png", "svg"))
    _warn(notes)
    if written:
        print(f"wrote {len(written)} files to {args.out} (see {args.out / 'summary.md'})")
    elif not errors:
        errors = ["the runs share no benchmark to compare"]
    return [e for run in runs for e in run.errors] + errors


def _steps_from_names(args: argparse.Namespace, runs, labels: list[str | None]) -> list[float]:
    from .report.trajectory import step_from_names

    steps = []
    for path, run, label in zip(args.runs, runs, labels):
        folder = path.name if path.is_dir() else path.parent.name
        step = step_from_names([name for name in (label, folder) if name], run.label)
        if step is None:
            raise PassKConfigError(f"no training step in the names of {path} ({run.label}); pass --steps "
                                   "0,150,300,... (one per run) or labels such as step150")
        steps.append(step)
    return steps


def _trajectory(args: argparse.Namespace) -> list[str]:
    from .report.trajectory import write_trajectory

    ks = _number_list(args.k, "--k", None, int) or []
    if any(k < 1 for k in ks):
        raise PassKConfigError("--k takes k >= 1")
    steps = _number_list(args.steps, "--steps", len(args.runs), float)
    bootstrap = _bootstrap(args)
    runs, labels = _load_runs(args)
    steps = steps or _steps_from_names(args, runs, labels)
    written, notes, errors = write_trajectory(runs, steps, args.out, ks=ks, bootstrap=bootstrap,
                                              formats=() if args.no_plots else ("png", "svg"), x_label=args.x_label)
    _warn(notes)
    if written:
        print(f"wrote {len(written)} files to {args.out} (see {args.out / 'summary.md'})")
    elif not errors:
        errors = ["the runs hold no pass@k benchmark to draw"]
    return [e for run in runs for e in run.errors] + errors


def _rescore(args: argparse.Namespace) -> list[str]:
    from .rescore import rescore_run

    done = rescore_run(args.run_dir, args.out, args.grader, timeout_s=args.timeout, workers=args.workers)
    _warn(done.notes)
    print(f"rescored {', '.join(done.tasks)} with grader {args.grader}: {done.results_path}")
    return done.errors


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "tasks-path":
        print(tasks_path())
        return
    commands = {"report": _report, "compare": _compare, "trajectory": _trajectory, "rescore": _rescore}
    try:
        errors = commands[args.command](args)
    except PassKConfigError as err:
        errors = [str(err)]
    if errors:
        print(f"{PROG}: error: {'; '.join(errors)}", file=sys.stderr)
        raise SystemExit(2)

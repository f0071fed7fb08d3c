"""``lm-eval-passk trajectory``: runs of one model at several training steps (Fig. 1
right and Table 3 of the paper): per benchmark, pass@1, pass@k_max and any other k
against the step, with bootstrap bands; a table of every step by benchmark."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..settings import PassKConfigError
from .comparison import mismatch
from .curves import Curve, pass_at_k_curve
from .markdown import bullet_list
from .plots import FORMATS, plot_trajectory
from .runs import Run
from .single_run import DEFAULT_BOOTSTRAP, BootstrapSettings
from .tables import GroupedTable, group_title, to_markdown, write_tables

STEP_WORD = re.compile(r"(?:global_step|step|ckpt|checkpoint|iter|iteration)[-_ =]*(\d+(?:\.\d+)?)", re.IGNORECASE)
TRAILING_NUMBER = re.compile(r"(?:^|[-_ =])(\d+(?:\.\d+)?)$")


def step_from_names(names: Sequence[str], model_label: str) -> float | None:
    """A step read from a run's names: a number after ``step``/``ckpt``/``checkpoint``/
    ``iter`` in the given label, the folder name or the model's name; else a trailing
    number of the label or folder name (``run_150``). Model names are not read for a bare
    number (``Qwen2.5-7B``, ``...Q4_1`` are no steps)."""
    for text in [*names, model_label]:
        found = STEP_WORD.findall(text)
        if found:
            return float(found[-1])
    for text in names:
        match = TRAILING_NUMBER.search(text)
        if match:
            return float(match.group(1))
    return None


def step_text(step: float) -> str:
    return str(int(step)) if float(step).is_integer() else f"{step:g}"


@dataclass(frozen=True)
class Point:
    step: float
    run: Run
    curve: Curve


def trajectory_points(name: str, runs: Sequence[Run], steps: Sequence[float], bootstrap: BootstrapSettings,
                      notes: list[str], errors: list[str]) -> list[Point]:
    """The runs (in step order) that hold benchmark ``name`` and match the first of them."""
    holding = [(step, run) for step, run in zip(steps, runs) if name in run.benchmarks]
    lacking = [f"{run.label} (step {step_text(step)})" for step, run in zip(steps, runs) if name not in run.benchmarks]
    if lacking:
        notes.append(f"{name}: not in {', '.join(lacking)}; its trajectory leaves those steps out")
    reference = holding[0][1]
    points = []
    for step, run in holding:
        problem = mismatch(name, reference, run) if run is not reference else None
        if problem:
            errors.append(f"{problem} (step {step_text(step)} left out of the trajectory)")
            continue
        curve = pass_at_k_curve(run.benchmarks[name].problems, iterations=bootstrap.iterations,
                                confidence=bootstrap.confidence, seed=bootstrap.seed)
        points.append(Point(step, run, curve))
    return points


def plotted_ks(name: str, k_max: int, extra: Sequence[int], notes: list[str]) -> list[int]:
    above = [k for k in extra if k > k_max]
    if above:
        notes.append(f"{name}: k = {', '.join(map(str, above))} above n = {k_max}; left out")
    return sorted({1, k_max, *(k for k in extra if k <= k_max)})


def write_trajectory(runs: Sequence[Run], steps: Sequence[float], out_dir: Path, *, ks: Sequence[int] = (),
                     bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP, formats: tuple[str, ...] = FORMATS,
                     x_label: str = "training step") -> tuple[list[Path], list[str], list[str]]:
    """Per benchmark of the runs, pass@k against step (one distinct step per run); returns
    (files, notes, errors)."""
    if len(set(steps)) < len(steps):
        raise PassKConfigError(f"two runs have the same step ({', '.join(map(step_text, steps))}); "
                               "give each run its own step with --steps")
    order = sorted(range(len(runs)), key=lambda i: steps[i])
    runs, steps = [runs[i] for i in order], [steps[i] for i in order]
    notes: list[str] = []
    errors: list[str] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names = list(dict.fromkeys(name for run in runs for name in run.benchmarks))
    report: dict[str, Any] = {
        "x_label": x_label, "bootstrap": asdict(bootstrap),
        "runs": [{"step": s, "label": r.label, "results": str(r.results_path)} for s, r in zip(steps, runs)],
        "benchmarks": {}}
    groups, cells = [], []
    for name in names:
        points = trajectory_points(name, runs, steps, bootstrap, notes, errors)
        if not points:
            continue
        n = points[0].run.benchmarks[name].n
        k_list = plotted_ks(name, min(p.curve.ks[-1] for p in points), ks, notes)
        if formats:
            written += plot_trajectory(f"{name} (n={n})", [p.step for p in points],
                                       [(k, [p.curve for p in points]) for k in k_list],
                                       out_dir / f"{name}_trajectory", x_label=x_label, formats=formats)
        report["benchmarks"][name] = {"n": n, "k": k_list, "points": [
            {"step": p.step, "label": p.run.label, "problems": len(p.run.benchmarks[name].problems),
             "pass_at_k": {str(k): {"value": p.curve.at(k), "low": p.curve.low[k - 1], "high": p.curve.high[k - 1]}
                           for k in k_list}} for p in points]}
        groups.append((group_title(name, n), [f"pass@{k}" for k in k_list]))
        by_step = {p.step: p.curve for p in points}
        cells.append([[by_step[step].at(k) for k in k_list] if step in by_step else [None] * len(k_list)
                      for step in steps])
    if not groups:
        return written, notes, errors
    rows = [(f"{step_text(step)} ({run.label})", [column[i] for column in cells])
            for i, (step, run) in enumerate(zip(steps, runs))]
    table = GroupedTable(x_label, groups, rows)
    written += write_tables(table, out_dir / "table", f"pass@k (%) along {x_label}")
    report["left_out"] = notes + errors
    json_path = out_dir / "trajectory.json"
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    sections = [f"# pass@k along {x_label}: {', '.join(r.label for r in runs)}",
                f"pass@k in %, a row per run ({x_label} (label)), a column group per benchmark; "
                f"the plots show each k with its {bootstrap.confidence:.0%} bootstrap band "
                f"({bootstrap.iterations} resamples of the problems).", to_markdown(table)]
    sections += [f"![{name}]({p.name})" for name, p in ((p.stem.rsplit("_", 1)[0], p) for p in written)
                 if p.suffix == ".png"]
    if notes or errors:
        sections.append("## Left out\n\n" + bullet_list(notes + errors))
    summary_path = out_dir / "summary.md"
    summary_path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [*written, json_path, summary_path], notes, errors

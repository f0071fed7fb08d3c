"""``lm-eval-passk compare``: a base model (the first run) against one or more others,
per benchmark the runs share: overlaid curves, crossover k, ΔSE, solvable sets and
accuracy histograms, written as plots, ``compare.json`` and ``summary.md``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .curves import (
    Curve,
    SolvableSets,
    accuracy_histogram,
    crossover_k,
    delta_se,
    never_solved,
    pass_at_k_curve,
    solvable_sets,
    table_ks,
)
from .markdown import bullet_list, percent, table
from .plots import FORMATS, plot_curves, plot_histograms
from .runs import Benchmark, Run
from .single_run import DEFAULT_BOOTSTRAP, BootstrapSettings

LISTED_IDS = 30  # summary.md lists the ids of a set up to this size


def unique_labels(labels: Sequence[str]) -> list[str]:
    """The same model twice gets ``#2``, ``#3`` so legends stay readable."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} #{seen[label]}")
    return out


def mismatch(name: str, a: Run, b: Run) -> str | None:
    """Why benchmark ``name`` of runs a and b cannot be compared, or None."""
    bench_a, bench_b = a.benchmarks[name], b.benchmarks[name]
    if bench_a.n != bench_b.n:
        return (f"{name}: {a.label} has n={bench_a.n} samples per problem but {b.label} has n={bench_b.n}; "
                "compare runs sampled with the same n")
    ids_a = {p.id: p.doc_hash for p in bench_a.problems}
    ids_b = {p.id: p.doc_hash for p in bench_b.problems}
    if ids_a.keys() != ids_b.keys():
        for run, bench, other_ids in ((a, bench_a, ids_b), (b, bench_b, ids_a)):
            if bench.missing and {p.id for p in bench.problems} < other_ids.keys():
                return (f"{name}: {run.label} has {len(bench.problems)} of the {len(other_ids)} problems (its run "
                        "is incomplete); finish it or compare complete runs")
        only_a, only_b = len(ids_a.keys() - ids_b.keys()), len(ids_b.keys() - ids_a.keys())
        return (f"{name}: different problem sets ({only_a} problems only in {a.label}, {only_b} only in "
                f"{b.label}); compare runs of the same benchmark")
    changed = sum(1 for i, h in ids_a.items() if h and ids_b[i] and h != ids_b[i])
    if changed:
        return (f"{name}: {changed} problems have the same id but different text in {a.label} and {b.label}; "
                "compare runs of the same benchmark version")
    return None


def comparable(runs: Sequence[Run]) -> tuple[list[str], list[str], list[str]]:
    """(benchmarks to compare, notes on those left out, mismatch errors)."""
    base, others = runs[0], runs[1:]
    names, notes, errors = [], [], []
    every = dict.fromkeys(name for run in runs for name in run.benchmarks)
    for name in every:
        lacking = [run.label for run in runs if name not in run.benchmarks]
        if lacking:
            notes.append(f"{name}: not in {', '.join(lacking)}; left out of the comparison")
            continue
        problems = [mismatch(name, base, other) for other in others]
        if any(problems):
            errors += [p for p in problems if p]
        else:
            names.append(name)
    return names, notes, errors


@dataclass(frozen=True)
class Versus:
    """One other model against the base model on one benchmark."""

    crossover_k: int | None
    delta_se: float
    solvable: SolvableSets


def crossover_text(k: int | None, n: int) -> str:
    if k is None:
        return f"none (base does not overtake by k={n})"
    return "1 (base ahead at every k)" if k == 1 else str(k)


def id_list(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= LISTED_IDS else f"{len(ids)} ids, see compare.json"


def benchmark_markdown(name: str, labels: list[str], benches: list[Benchmark], curves: list[Curve],
                       versus: dict[str, Versus], plots: list[str]) -> str:
    bench, base = benches[0], labels[0]
    ks = table_ks(bench.n)
    model_rows = [[label, *(percent(curve.at(k)) for k in ks), percent(never_solved(b.problems))]
                  for label, curve, b in zip(labels, curves, benches)]
    versus_rows = [[label, crossover_text(v.crossover_k, bench.n), percent(v.delta_se),
                    *(len(ids) for ids in (v.solvable.only_base, v.solvable.only_other, v.solvable.both,
                                           v.solvable.neither))]
                   for label, v in versus.items()]
    parts = [
        f"## {name} (n = {bench.n}, {len(bench.problems)} problems)",
        table(["model", *(f"pass@{k}" for k in ks), "never solved"], model_rows),
        table(["vs base", "crossover k", f"ΔSE = pass@{bench.n}(base) − pass@1 (pts)",
               f"solved by {base} only", "by the other only", "by both", "by neither"], versus_rows),
    ]
    for label, v in versus.items():
        parts.append(bullet_list([f"solved by {base}, never by {label}: {id_list(v.solvable.only_base) or '—'}",
                                  f"solved by {label}, never by {base}: {id_list(v.solvable.only_other) or '—'}"]))
    if plots:
        parts.append(" ".join(f"![{name}]({plot})" for plot in plots))
    return "\n\n".join(parts)


def write_comparison(runs: Sequence[Run], out_dir: Path, bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP,
                     formats: tuple[str, ...] = FORMATS) -> tuple[list[Path], list[str], list[str]]:
    """Compare every benchmark the runs share; returns (files, notes, errors). Benchmarks
    that do not match are left out (errors); the others are still written."""
    names, notes, errors = comparable(runs)
    if not names:
        return [], notes, errors
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = [run.label for run in runs]
    written: list[Path] = []
    sections = [f"# pass@k comparison: {' vs '.join(labels)}",
                f"Base model: {labels[0]} (the first run). pass@k in %, samples per problem n; "
                f"ΔSE = the base model's pass@n minus the other model's pass@1; a problem is solved when "
                "at least one of its n samples is correct."]
    report: dict[str, Any] = {"base": labels[0], "runs": [{"label": r.label, "results": str(r.results_path)}
                                                           for r in runs],
                              "bootstrap": asdict(bootstrap), "benchmarks": {}, "left_out": notes + errors}
    for name in names:
        benches = [run.benchmarks[name] for run in runs]
        curves = [pass_at_k_curve(b.problems, iterations=bootstrap.iterations, confidence=bootstrap.confidence,
                                  seed=bootstrap.seed) for b in benches]
        versus = {label: Versus(crossover_k(curves[0], curve), delta_se(curves[0], curve),
                                solvable_sets(benches[0].problems, b.problems))
                  for label, curve, b in zip(labels[1:], curves[1:], benches[1:])}
        histograms = [accuracy_histogram(b.problems) for b in benches]
        plots: list[Path] = []
        if formats:
            crossover = next(iter(versus.values())).crossover_k if len(versus) == 1 else None
            plots += plot_curves(f"{name} (n={benches[0].n})", list(zip(labels, curves)), out_dir / f"{name}_curves",
                                 crossover=crossover, formats=formats)
            plots += plot_histograms(name, list(zip(labels, histograms)), out_dir / f"{name}_accuracy_hist",
                                     formats=formats)
        written += plots
        pngs = [p.name for p in plots if p.suffix == ".png"]
        sections.append(benchmark_markdown(name, labels, benches, curves, versus, pngs))
        report["benchmarks"][name] = {
            "n": benches[0].n,
            "problems": len(benches[0].problems),
            "k": curves[0].ks,
            "models": {label: {"curve": curve.pass_at_k, "low": curve.low, "high": curve.high,
                               "never_solved": never_solved(b.problems), "accuracy_histogram": histogram}
                       for label, curve, b, histogram in zip(labels, curves, benches, histograms)},
            "versus_base": {label: asdict(v) for label, v in versus.items()},
        }
    if notes or errors:
        sections.append("## Left out\n\n" + bullet_list(notes + errors))
    json_path = out_dir / "compare.json"
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    summary_path = out_dir / "summary.md"
    summary_path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [*written, json_path, summary_path], notes, errors

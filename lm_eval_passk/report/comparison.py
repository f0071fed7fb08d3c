"""``lm-eval-passk compare``: a base model (the first run) against one or more others,
per benchmark the runs share: overlaid curves, crossover k, ΔSE, solvable sets,
accuracy histograms, paired statistics and per-subset breakdowns, written as plots,
``compare.json``, ``summary.md`` and a table of all models (``table.md/.csv/.tex``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .comparison_markdown import benchmark_markdown
from .curves import (
    HISTOGRAM_BINS,
    Curve,
    SolvableSets,
    accuracy_histogram,
    crossover_k,
    delta_se,
    delta_se_k,
    delta_se_name,
    never_solved,
    pass_at_k_curve,
    solvable_sets,
)
from .markdown import bullet_list
from .paired import McNemar, PairedDifference, mcnemar_exact, paired_bootstrap
from .plots import FORMATS, plot_curves, plot_differences, plot_histograms, plot_model_bars
from .runs import Benchmark, Run
from .single_run import DEFAULT_BOOTSTRAP, BootstrapSettings
from .subsets import compare_subsets
from .tables import GroupedTable, group_title, write_tables


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
    """pass@k(base) - pass@1(other) at k = ``delta_se_k`` (the paper's ΔSE when that is 256)."""
    delta_se_k: int
    delta_se_name: str
    solvable: SolvableSets
    paired: PairedDifference
    mcnemar: McNemar


@dataclass(frozen=True)
class BenchmarkComparison:
    name: str
    labels: list[str]
    benches: list[Benchmark]
    curves: list[Curve]
    versus: dict[str, Versus]
    histograms: list[list[float]]
    subsets: dict[str, list[dict[str, Any]]]

    @property
    def se_k(self) -> int:
        return min(delta_se_k(self.curves[0], curve) for curve in self.curves)

    def best_other(self) -> tuple[str, float] | None:
        """Fig. 8 of the paper: the base model's pass@k (ΔSE's k) minus the best pass@1 of
        the other models, and which model that is; None with a single other model."""
        if len(self.versus) < 2:
            return None
        label, curve = max(zip(self.labels[1:], self.curves[1:]), key=lambda pair: pair[1].at(1))
        return label, self.curves[0].at(self.se_k) - curve.at(1)

    def as_json(self) -> dict[str, Any]:
        out = {
            "n": self.benches[0].n,
            "problems": len(self.benches[0].problems),
            "k": self.curves[0].ks,
            "accuracy_bins": list(HISTOGRAM_BINS),
            "models": {label: {"curve": curve.pass_at_k, "low": curve.low, "high": curve.high,
                               "never_solved": never_solved(b.problems), "accuracy_histogram": histogram}
                       for label, curve, b, histogram in zip(self.labels, self.curves, self.benches, self.histograms)},
            "versus_base": {label: asdict(v) for label, v in self.versus.items()},
            "subsets": self.subsets,
        }
        best = self.best_other()
        if best:
            out["delta_se_best"] = {"k": self.se_k, "name": delta_se_name(self.se_k), "model": best[0],
                                    "value": best[1]}
        return out


def compare_benchmark(name: str, runs: Sequence[Run], bootstrap: BootstrapSettings) -> BenchmarkComparison:
    labels = [run.label for run in runs]
    benches = [run.benchmarks[name] for run in runs]
    settings = {"iterations": bootstrap.iterations, "confidence": bootstrap.confidence, "seed": bootstrap.seed}
    curves = [pass_at_k_curve(b.problems, **settings) for b in benches]
    base = benches[0].problems
    versus = {}
    for label, curve, bench in zip(labels[1:], curves[1:], benches[1:]):
        sets = solvable_sets(base, bench.problems)
        se_k = delta_se_k(curves[0], curve)
        versus[label] = Versus(crossover_k(curves[0], curve), delta_se(curves[0], curve), se_k, delta_se_name(se_k),
                               sets, paired_bootstrap(base, bench.problems, **settings),
                               mcnemar_exact(len(sets.only_base), len(sets.only_other)))
    return BenchmarkComparison(name, labels, benches, curves, versus, [accuracy_histogram(b.problems) for b in benches],
                               compare_subsets(labels, [b.problems for b in benches], curves[0].ks[-1]))


def plot_comparison(c: BenchmarkComparison, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    title = f"{c.name} (n={c.benches[0].n})"
    crossover = next(iter(c.versus.values())).crossover_k if len(c.versus) == 1 else None
    k = c.se_k
    return [
        *plot_curves(title, list(zip(c.labels, c.curves)), out_dir / f"{c.name}_curves", crossover=crossover,
                     formats=formats),
        *plot_histograms(c.name, list(zip(c.labels, c.histograms)), out_dir / f"{c.name}_accuracy_hist",
                         formats=formats),
        *plot_differences(title, [(label, v.paired) for label, v in c.versus.items()],
                          out_dir / f"{c.name}_difference", formats=formats),
        *plot_model_bars(c.name, c.labels, [curve.at(1) for curve in c.curves], [curve.at(k) for curve in c.curves],
                         k, out_dir / f"{c.name}_models", formats=formats),
    ]


def models_table(comparisons: Sequence[BenchmarkComparison]) -> GroupedTable:
    """Tables 2-3 of the paper: per model and benchmark pass@1, pass@n and ΔSE."""
    groups = [(group_title(c.name, c.benches[0].n),
               ["pass@1", f"pass@{c.curves[0].ks[-1]}", delta_se_name(c.se_k)]) for c in comparisons]
    rows = []
    for i, label in enumerate(comparisons[0].labels):
        values = []
        for c in comparisons:
            versus = c.versus.get(label) if i else None
            values.append([c.curves[i].at(1), c.curves[i].pass_at_k[-1], versus.delta_se if versus else None])
        rows.append((label, values))
    return GroupedTable("model", groups, rows)


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
                f"Base model: {labels[0]} (the first run). pass@k in %, samples per problem n; a problem is "
                "solved when at least one of its n samples is correct. ΔSE = pass@256(base) − pass@1(other) "
                "(the paper's definition); where n < 256 it is taken at k = n and named ΔSE@n. Paired "
                f"statistics resample the problems ({bootstrap.iterations} times), the same problems for both "
                "models; a model is ahead with confidence where the whole interval of the difference is on its "
                "side of 0; a crossover interval ending in \"none\" reaches resamples in which the base model "
                "does not overtake by k = n. McNemar: exact two-sided test on the problems solved (at k = n) by "
                "one model only."]
    report: dict[str, Any] = {"base": labels[0], "runs": [{"label": r.label, "results": str(r.results_path)}
                                                           for r in runs],
                              "bootstrap": asdict(bootstrap), "benchmarks": {}, "left_out": notes + errors}
    comparisons = []
    for name in names:
        comparison = compare_benchmark(name, runs, bootstrap)
        comparisons.append(comparison)
        plots = plot_comparison(comparison, out_dir, formats) if formats else []
        written += plots
        sections.append(benchmark_markdown(comparison, [p.name for p in plots if p.suffix == ".png"]))
        report["benchmarks"][name] = comparison.as_json()
    table = models_table(comparisons)
    written += write_tables(table, out_dir / "table", f"pass@k (%) by model and benchmark; base model {labels[0]}")
    if notes or errors:
        sections.append("## Left out\n\n" + bullet_list(notes + errors))
    json_path = out_dir / "compare.json"
    json_path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    summary_path = out_dir / "summary.md"
    summary_path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [*written, json_path, summary_path], notes, errors

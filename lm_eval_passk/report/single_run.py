"""``lm-eval-passk report``: one run -> per benchmark a curve (CSV, JSON), a plot, a
table and, where the documents have subject / level / difficulty / platform / subfield,
the same per subset; ``summary.md`` gathers them."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .curves import HISTOGRAM_BINS, Curve, accuracy_histogram, maj_at_k, never_solved, pass_at_k_curve, table_ks
from .markdown import bullet_list, percent, table
from .plots import FORMATS, plot_curves
from .runs import Benchmark, Run
from .subsets import run_subsets, run_subsets_markdown


@dataclass(frozen=True)
class BootstrapSettings:
    iterations: int = 1000
    confidence: float = 0.95
    seed: int = 0


DEFAULT_BOOTSTRAP = BootstrapSettings()


@dataclass(frozen=True)
class BenchmarkSummary:
    benchmark: Benchmark
    curve: Curve
    maj_at_k: dict[int, float]
    never_solved: float
    subsets: dict[str, list[dict[str, Any]]]

    def as_json(self, label: str, bootstrap: BootstrapSettings) -> dict[str, Any]:
        curve = self.curve
        return {
            "benchmark": self.benchmark.name,
            "model": label,
            "n": self.benchmark.n,
            "problems": len(self.benchmark.problems),
            "missing_problems": self.benchmark.missing,
            "never_solved": self.never_solved,
            "accuracy_bins": list(HISTOGRAM_BINS),
            "accuracy_histogram": accuracy_histogram(self.benchmark.problems),
            "bootstrap": {"iterations": bootstrap.iterations, "confidence": bootstrap.confidence,
                          "seed": bootstrap.seed, "resampling": "problems"},
            "table": [{"k": k, "pass_at_k": curve.at(k), "maj_at_k": self.maj_at_k[k]} for k in self.maj_at_k],
            "curve": [{"k": k, "pass_at_k": v, "low": lo, "high": hi}
                      for k, v, lo, hi in zip(curve.ks, curve.pass_at_k, curve.low, curve.high)],
            "subsets": self.subsets,
        }


def summarize(benchmark: Benchmark, bootstrap: BootstrapSettings) -> BenchmarkSummary:
    problems = benchmark.problems
    curve = pass_at_k_curve(problems, iterations=bootstrap.iterations, confidence=bootstrap.confidence,
                            seed=bootstrap.seed)
    majority = maj_at_k(problems, table_ks(benchmark.n), seed=bootstrap.seed)
    return BenchmarkSummary(benchmark, curve, majority, never_solved(problems), run_subsets(problems, curve.ks[-1]))


def write_curve_csv(curve: Curve, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["k", "pass_at_k", "ci_low", "ci_high"])
        writer.writerows(zip(curve.ks, curve.pass_at_k, curve.low, curve.high))
    return path


def benchmark_markdown(summary: BenchmarkSummary, label: str, plot: str | None) -> str:
    bench, curve = summary.benchmark, summary.curve
    band = f"{curve.confidence:.0%} CI"
    rows = [[k, percent(curve.at(k)), f"{percent(curve.low[k - 1])}–{percent(curve.high[k - 1])}",
             percent(summary.maj_at_k[k])] for k in summary.maj_at_k]
    solved_none = sum(p.c == 0 for p in bench.problems)
    parts = [
        f"## {bench.name} — {label}",
        f"n = {bench.n} samples per problem, {len(bench.problems)} problems"
        + (f" ({bench.missing} missing: the run is incomplete)" if bench.missing else "") + ".",
        table(["k", "pass@k (%)", band + " (%)", "maj@k (%)"], rows),
        f"Never solved (no correct sample in {bench.n}): {solved_none} of {len(bench.problems)} problems "
        f"({percent(summary.never_solved)}%).",
    ]
    if summary.subsets:
        parts.append(run_subsets_markdown(summary.subsets, curve.ks[-1]))
    if plot:
        parts.append(f"![{bench.name} pass@k]({plot})")
    return "\n\n".join(parts)


def write_report(run: Run, out_dir: Path, bootstrap: BootstrapSettings = DEFAULT_BOOTSTRAP,
                 formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write every benchmark of ``run`` into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sections = [f"# pass@k report: {run.label}", f"Run: `{run.results_path}`"]
    if run.notes or run.errors:
        sections.append("Incomplete or unreadable:\n\n" + bullet_list(run.notes + run.errors))
    for name, benchmark in run.benchmarks.items():
        summary = summarize(benchmark, bootstrap)
        stem = out_dir / f"{name}_curve"
        written.append(write_curve_csv(summary.curve, stem.with_suffix(".csv")))
        json_path = stem.with_suffix(".json")
        json_path.write_text(json.dumps(summary.as_json(run.label, bootstrap), indent=1) + "\n", encoding="utf-8")
        written.append(json_path)
        plots = plot_curves(f"{name} (n={benchmark.n})", [(run.label, summary.curve)], stem,
                            formats=formats) if formats else []
        written += plots
        sections.append(benchmark_markdown(summary, run.label, plots[0].name if plots else None))
    summary_path = out_dir / "summary.md"
    summary_path.write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return [*written, summary_path]

"""Figures: pass@k curves and paired differences on a log2 k axis, per-problem accuracy
histograms (Fig. 5), pass@1 / pass@k bars per model (Fig. 8), training trajectories.

Drawn on matplotlib's Agg canvas without pyplot, so nothing global (backend, open
figures) changes in the caller's process. Every series carries an SVG id
(``curve-<i>``, ``band-<i>``, ``hist-<i>-<bin>``, ``diff-<i>``, ``bar-<metric>-<i>``,
``step-<i>``) so the files can be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..settings import PassKConfigError
from .curves import HISTOGRAM_BINS, Curve
from .paired import PairedDifference

SIZE_INCHES = (6.4, 4.0)
DPI = 150  # PNGs are 960 x 600 pixels
FORMATS = ("png", "svg")


def _figure():
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise PassKConfigError("plots need matplotlib: pip install 'lm-eval-passk[report]'") from None
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _save(figure, stem: Path, formats: Sequence[str]) -> list[Path]:
    paths = [stem.with_name(f"{stem.name}.{fmt}") for fmt in formats]
    for path in paths:
        figure.savefig(path, dpi=DPI)
    return paths


def _log2_k_axis(axes, k_max: int) -> None:
    axes.set_xscale("log", base=2)
    axes.set_xlim(1, max(k_max, 2))
    ticks = [2**i for i in range(k_max.bit_length()) if 2**i <= k_max]
    axes.set_xticks(ticks)
    axes.set_xticklabels([str(t) for t in ticks])
    axes.set_xlabel("k (samples per problem)")


def plot_curves(
    title: str,
    series: Sequence[tuple[str, Curve]],
    stem: Path,
    *,
    crossover: int | None = None,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """One line per (label, curve) with its confidence band; ``stem`` + ``.png``/``.svg``."""
    figure = _figure()
    axes = figure.add_subplot()
    for i, (label, curve) in enumerate(series):
        (line,) = axes.plot(curve.ks, curve.pass_at_k, label=label, linewidth=1.8, gid=f"curve-{i}")
        axes.fill_between(curve.ks, curve.low, curve.high, color=line.get_color(), alpha=0.18,
                          linewidth=0, gid=f"band-{i}")
    if crossover is not None:
        axes.axvline(crossover, color="0.4", linestyle=":", linewidth=1, label=f"crossover k={crossover}")
    _log2_k_axis(axes, max(curve.ks[-1] for _, curve in series))
    axes.set_ylim(0, 1)
    axes.set_ylabel("pass@k")
    confidence = series[0][1].confidence
    axes.set_title(f"{title}: pass@k, {confidence:.0%} bootstrap band")
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(loc="lower right")
    return _save(figure, stem, formats)


def plot_histograms(
    title: str, series: Sequence[tuple[str, Sequence[float]]], stem: Path, *, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """Share of problems per accuracy bin, one group of bars per bin, one bar per model."""
    figure = _figure()
    axes = figure.add_subplot()
    width = 0.8 / len(series)
    for i, (label, shares) in enumerate(series):
        positions = [b + (i - (len(series) - 1) / 2) * width for b in range(len(shares))]
        bars = axes.bar(positions, shares, width=width, label=label)
        for j, bar in enumerate(bars):
            bar.set_gid(f"hist-{i}-{j}")
    axes.set_xticks(range(len(HISTOGRAM_BINS)))
    axes.set_xticklabels(HISTOGRAM_BINS, rotation=45, fontsize=8)
    axes.set_xlabel("accuracy on the problem (c / n)")
    axes.set_ylabel("share of problems")
    axes.set_title(f"{title}: per-problem accuracy")
    axes.legend()
    return _save(figure, stem, formats)


def plot_differences(title: str, series: Sequence[tuple[str, PairedDifference]], stem: Path, *,
                     formats: Sequence[str] = FORMATS) -> list[Path]:
    """pass@k(base) - pass@k(other) per other model, with its paired-bootstrap band; above
    0 the base model is ahead."""
    figure = _figure()
    axes = figure.add_subplot()
    for i, (label, diff) in enumerate(series):
        (line,) = axes.plot(diff.ks, diff.difference, label=label, linewidth=1.8, gid=f"diff-{i}")
        axes.fill_between(diff.ks, diff.low, diff.high, color=line.get_color(), alpha=0.18, linewidth=0,
                          gid=f"band-{i}")
    axes.axhline(0, color="0.3", linewidth=0.8)
    _log2_k_axis(axes, max(diff.ks[-1] for _, diff in series))
    axes.set_ylabel("pass@k(base) − pass@k(other)")
    axes.set_title(f"{title}: paired difference, {series[0][1].confidence:.0%} paired-bootstrap band", fontsize=10)
    axes.grid(True, which="major", alpha=0.3)
    axes.legend(title="other model", loc="best")
    return _save(figure, stem, formats)


def plot_model_bars(title: str, labels: Sequence[str], pass_at_1: Sequence[float], pass_at_k: Sequence[float],
                    k: int, stem: Path, *, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Fig. 8: pass@1 and pass@k bars per model (the base model first), the base model's
    pass@k as a dashed line."""
    figure = _figure()
    axes = figure.add_subplot()
    positions = range(len(labels))
    for j, (metric, values, offset) in enumerate((("pass@1", pass_at_1, -0.2), (f"pass@{k}", pass_at_k, 0.2))):
        bars = axes.bar([x + offset for x in positions], values, width=0.4, label=metric, color=f"C{j}")
        axes.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
        for i, bar in enumerate(bars):
            bar.set_gid(f"bar-{j}-{i}")
    axes.axhline(pass_at_k[0], color="0.2", linestyle="--", linewidth=1.2, gid="base-line",
                 label=f"{labels[0]} pass@{k}")
    axes.set_xticks(list(positions))
    axes.set_xticklabels(labels, rotation=20, ha="right", fontsize=8)
    axes.set_ylim(0, 1.15)  # room for the legend above the bars
    axes.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    axes.set_ylabel("pass@k")
    axes.set_title(f"{title}: pass@1 and pass@{k} per model")
    axes.legend(loc="upper center", ncol=3, fontsize=8, frameon=False)
    return _save(figure, stem, formats)


def plot_trajectory(title: str, steps: Sequence[float], series: Sequence[tuple[int, Sequence[Curve]]], stem: Path,
                    *, x_label: str = "training step", formats: Sequence[str] = FORMATS) -> list[Path]:
    """pass@k against training step, one line (with its bootstrap band) per k; ``series``
    gives, per k, the curve of each step's run."""
    figure = _figure()
    axes = figure.add_subplot()
    for i, (k, curves) in enumerate(series):
        values = [c.at(k) for c in curves]
        (line,) = axes.plot(steps, values, marker="o", linewidth=1.8, label=f"pass@{k}", gid=f"step-{i}")
        axes.fill_between(steps, [c.low[k - 1] for c in curves], [c.high[k - 1] for c in curves],
                          color=line.get_color(), alpha=0.18, linewidth=0, gid=f"band-{i}")
    axes.set_ylim(0, 1)
    axes.set_xlabel(x_label)
    axes.set_ylabel("pass@k")
    axes.set_title(f"{title}: pass@k along {x_label}, {series[0][1][0].confidence:.0%} bootstrap band", fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best")
    return _save(figure, stem, formats)

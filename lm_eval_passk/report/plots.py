"""Figures: pass@k curves on a log2 k axis, per-problem accuracy histograms.

Drawn on matplotlib's Agg canvas without pyplot, so nothing global (backend, open
figures) changes in the caller's process. Every series carries an SVG id
(``curve-<i>``, ``band-<i>``, ``hist-<i>-<bin>``) so the files can be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..settings import PassKConfigError
from .curves import HISTOGRAM_BINS, Curve

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
    k_max = max(curve.ks[-1] for _, curve in series)
    axes.set_xscale("log", base=2)
    axes.set_xlim(1, max(k_max, 2))
    axes.set_xticks([2**i for i in range(k_max.bit_length()) if 2**i <= k_max])
    axes.set_xticklabels([str(2**i) for i in range(k_max.bit_length()) if 2**i <= k_max])
    axes.set_ylim(0, 1)
    axes.set_xlabel("k (samples per problem)")
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
    edges = HISTOGRAM_BINS
    axes.set_xticks(range(len(edges) - 1))
    axes.set_xticklabels([f"{lo:.1f}-{hi:.1f}" for lo, hi in zip(edges, edges[1:])], rotation=45, fontsize=8)
    axes.set_xlabel("accuracy on the problem (c / n)")
    axes.set_ylabel("share of problems")
    axes.set_title(f"{title}: per-problem accuracy")
    axes.legend()
    return _save(figure, stem, formats)

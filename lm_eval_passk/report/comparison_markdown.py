"""The Markdown of ``compare``'s ``summary.md``, one section per benchmark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .curves import delta_se_name, never_solved, table_ks
from .markdown import bullet_list, percent, table
from .paired import PairedDifference, k_ranges
from .subsets import compare_subsets_markdown

if TYPE_CHECKING:
    from .comparison import BenchmarkComparison

LISTED_IDS = 30  # summary.md lists the ids of a set up to this size


def crossover_text(k: int | None, n: int) -> str:
    if k is None:
        return f"none (base does not overtake by k={n})"
    return "1 (base ahead at every k)" if k == 1 else str(k)


def crossover_interval_text(paired: PairedDifference) -> str:
    def end(k: int | None) -> str:
        return "none" if k is None else str(k)

    return f"[{end(paired.crossover_low)}, {end(paired.crossover_high)}]"


def id_list(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= LISTED_IDS else f"{len(ids)} ids, see compare.json"


def points(value: float) -> str:
    return f"{100 * value:+.1f}"


def difference_cell(paired: PairedDifference, k: int) -> str:
    i = k - 1
    return f"{points(paired.difference[i])} [{points(paired.low[i])}, {points(paired.high[i])}]"


def ahead_cell(paired: PairedDifference, k: int, base: str, other: str) -> str:
    return base if k in paired.base_ahead else other if k in paired.other_ahead else "neither"


def paired_reading(paired: PairedDifference, base: str, other: str) -> str:
    level = f"{paired.confidence:.0%}"
    neither = [k for k in paired.ks if k not in paired.base_ahead and k not in paired.other_ahead]
    return (f"{other} vs {base}, paired: {base} ahead with {level} confidence at k = {k_ranges(paired.base_ahead)}; "
            f"{other} ahead at k = {k_ranges(paired.other_ahead)}; neither at k = {k_ranges(neither)}. "
            f"Crossover k {crossover_text(paired.crossover_k, paired.ks[-1])}, {level} interval "
            f"{crossover_interval_text(paired)} (no crossover in {paired.no_crossover_share:.0%} of the resamples).")


def benchmark_markdown(c: BenchmarkComparison, plots: list[str]) -> str:
    bench, base = c.benches[0], c.labels[0]
    n, k_max, se_k = bench.n, c.curves[0].ks[-1], c.se_k
    ks = table_ks(k_max)
    model_rows = [[label, *(percent(curve.at(k)) for k in ks), percent(never_solved(b.problems))]
                  for label, curve, b in zip(c.labels, c.curves, c.benches)]
    versus_rows = [[label, crossover_text(v.crossover_k, k_max), crossover_interval_text(v.paired),
                    percent(v.delta_se),
                    *(len(ids) for ids in (v.solvable.only_base, v.solvable.only_other, v.solvable.both,
                                           v.solvable.neither)), f"{v.mcnemar.p_value:.3g}"]
                   for label, v in c.versus.items()]
    name_se = delta_se_name(se_k)
    confidence = f"{c.curves[0].confidence:.0%}"
    parts = [
        f"## {c.name} (n = {n}, {len(bench.problems)} problems)",
        table(["model", *(f"pass@{k}" for k in ks), "never solved"], model_rows),
        table(["vs base", "crossover k", f"crossover k, {confidence} CI",
               f"{name_se} = pass@{se_k}(base) − pass@1 (pts)", f"solved by {base} only", "by the other only",
               "by both", "by neither", "McNemar p"], versus_rows),
    ]
    best = c.best_other()
    if best:
        parts.append(f"Fig. 8 reading: {name_se} against the best pass@1 of the other models ({best[0]}) = "
                     f"pass@{se_k}({base}) − pass@1({best[0]}) = {percent(best[1])} pts.")
    headers = ["k", *(h for label in c.versus for h in (f"{base} − {label} (pts) [{confidence} CI]", "ahead"))]
    rows = [[k, *(cell for label, v in c.versus.items()
                  for cell in (difference_cell(v.paired, k), ahead_cell(v.paired, k, base, label)))] for k in ks]
    parts.append("Paired difference of pass@k:\n\n" + table(headers, rows))
    for label, v in c.versus.items():
        parts.append(bullet_list([paired_reading(v.paired, base, label),
                                  f"solved by {base}, never by {label}: {id_list(v.solvable.only_base) or '—'}",
                                  f"solved by {label}, never by {base}: {id_list(v.solvable.only_other) or '—'}"]))
    if c.subsets:
        parts.append(compare_subsets_markdown(c.subsets, c.labels, k_max))
    if plots:
        parts.append(" ".join(f"![{c.name}]({plot})" for plot in plots))
    return "\n\n".join(parts)

"""Per-subset breakdown: pass@k and solvable sets per value of a document field
(``runs.SUBSET_FIELDS``: MATH500 subject and level, LiveCodeBench difficulty and
platform, OlympiadBench subfield). Where does the other model lose problems?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..estimators import pass_at_k
from .curves import never_solved, solvable_sets
from .markdown import percent, table
from .runs import SUBSET_FIELDS, Problem


def _value_order(value: str) -> tuple[int, float, str]:
    """Numbers (levels) numerically, before words (subjects) alphabetically."""
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def split_by_field(problems: Sequence[Problem]) -> dict[str, dict[str, list[Problem]]]:
    """field -> value -> its problems, for every field some problem has; values sorted."""
    out: dict[str, dict[str, list[Problem]]] = {}
    for field in SUBSET_FIELDS:
        groups: dict[str, list[Problem]] = {}
        for p in problems:
            value = dict(p.subsets).get(field)
            if value is not None:
                groups.setdefault(value, []).append(p)
        if groups:
            out[field] = {v: groups[v] for v in sorted(groups, key=_value_order)}
    return out


def mean_pass_at_k(problems: Sequence[Problem], k: int) -> float:
    return sum(pass_at_k(p.n, p.c, k) for p in problems) / len(problems)


def run_subsets(problems: Sequence[Problem], k_max: int) -> dict[str, list[dict[str, Any]]]:
    """One model: per field, per value, the problem count, pass@1, pass@k_max, never solved."""
    return {field: [{"value": value, "problems": len(group), "pass@1": mean_pass_at_k(group, 1),
                     f"pass@{k_max}": mean_pass_at_k(group, k_max), "never_solved": never_solved(group)}
                    for value, group in groups.items()]
            for field, groups in split_by_field(problems).items()}


def compare_subsets(labels: Sequence[str], problem_lists: Sequence[Sequence[Problem]],
                    k_max: int) -> dict[str, list[dict[str, Any]]]:
    """Several models on the same problems (the first is the base model): per field, per
    value, each model's pass@1 and pass@k_max and, against the base model, the problems
    (ids) solved at k = n by only one of the two."""
    by_id = [{p.id: p for p in problems} for problems in problem_lists]
    out: dict[str, list[dict[str, Any]]] = {}
    for field, groups in split_by_field(problem_lists[0]).items():
        rows = []
        for value, group in groups.items():
            per_model = [[ids[p.id] for p in group] for ids in by_id]
            row: dict[str, Any] = {"value": value, "problems": len(group), "models": {
                label: {"pass@1": mean_pass_at_k(ps, 1), f"pass@{k_max}": mean_pass_at_k(ps, k_max)}
                for label, ps in zip(labels, per_model)}, "versus_base": {}}
            for label, ps in zip(labels[1:], per_model[1:]):
                sets = solvable_sets(per_model[0], ps)
                row["versus_base"][label] = {"only_base": sets.only_base, "only_other": sets.only_other}
            rows.append(row)
        out[field] = rows
    return out


def run_subsets_markdown(subsets: dict[str, list[dict[str, Any]]], k_max: int) -> str:
    parts = []
    for field, rows in subsets.items():
        parts.append(f"By {field}:\n\n" + table(
            [field, "problems", "pass@1 (%)", f"pass@{k_max} (%)", "never solved (%)"],
            [[r["value"], r["problems"], percent(r["pass@1"]), percent(r[f"pass@{k_max}"]),
              percent(r["never_solved"])] for r in rows]))
    return "\n\n".join(parts)


def compare_subsets_markdown(subsets: dict[str, list[dict[str, Any]]], labels: Sequence[str], k_max: int) -> str:
    base, others = labels[0], labels[1:]
    headers = [*(f"{label} pass@{k} (%)" for label in labels for k in (1, k_max)),
               *(h for label in others for h in (f"solved by {base} only, not {label}", f"by {label} only"))]
    parts = []
    for field, rows in subsets.items():
        body = [[r["value"], r["problems"],
                 *(percent(r["models"][label][f"pass@{k}"]) for label in labels for k in (1, k_max)),
                 *(len(r["versus_base"][label][key]) for label in others for key in ("only_base", "only_other"))]
                for r in rows]
        parts.append(f"By {field}:\n\n" + table([field, "problems", *headers], body))
    return "\n\n".join(parts)

"""Tables of several models (or checkpoints) by benchmark, as the paper's Tables 2-3
print them: one row per model, a group of columns per benchmark. Written as Markdown,
CSV (long form, full precision) and a LaTeX ``booktabs`` table ready to paste."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .markdown import percent, table

TEX_SPECIALS = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class GroupedTable:
    row_header: str
    groups: list[tuple[str, list[str]]]
    """(group title, its column names), e.g. ("passk_math500 (n = 128)", ["pass@1", "pass@128"])."""
    rows: list[tuple[str, list[list[float | None]]]]
    """(row label, one list of values per group); values are shares (0-1), None = no value."""


def tex_escape(text: str) -> str:
    escaped = "".join(TEX_SPECIALS.get(ch, ch) for ch in text)
    return escaped.replace("ΔSE", r"$\Delta_{\mathrm{SE}}$").replace("Δ", r"$\Delta$").replace("−", "$-$")


def _cell(value: float | None, empty: str) -> str:
    return empty if value is None else percent(value)


def to_markdown(t: GroupedTable) -> str:
    headers = [t.row_header, *(f"{title} {column}" for title, columns in t.groups for column in columns)]
    rows = [[label, *(_cell(v, "—") for values in groups for v in values)] for label, groups in t.rows]
    return table(headers, rows)


def to_latex(t: GroupedTable, caption: str) -> str:
    widths = [len(columns) for _, columns in t.groups]
    spec = "l" + "".join(" " + "r" * w for w in widths)
    spans, rules, start = [], [], 2
    for (title, _), width in zip(t.groups, widths):
        spans.append(rf"\multicolumn{{{width}}}{{c}}{{{tex_escape(title)}}}")
        rules.append(rf"\cmidrule(lr){{{start}-{start + width - 1}}}")
        start += width
    head = " & ".join([tex_escape(t.row_header), *(tex_escape(c) for _, columns in t.groups for c in columns)])
    body = [" & ".join([tex_escape(label), *(_cell(v, "--") for values in groups for v in values)]) + r" \\"
            for label, groups in t.rows]
    return "\n".join([
        r"% needs \usepackage{booktabs}",
        r"\begin{table}[t]", r"\centering", rf"\caption{{{tex_escape(caption)}}}",
        rf"\begin{{tabular}}{{{spec}}}", r"\toprule",
        " & ".join(["", *spans]) + r" \\", " ".join(rules), head + r" \\", r"\midrule",
        *body, r"\bottomrule", r"\end{tabular}", r"\end{table}", ""])


def write_csv(t: GroupedTable, path: Path) -> Path:
    """Long form: one line per (row, group, column) with the value as a share."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([t.row_header, "group", "column", "value"])
        for label, groups in t.rows:
            for (title, columns), values in zip(t.groups, groups):
                writer.writerows([label, title, column, "" if v is None else repr(v)]
                                 for column, v in zip(columns, values))
    return path


def write_tables(t: GroupedTable, stem: Path, caption: str) -> list[Path]:
    """``stem`` + ``.md``, ``.csv``, ``.tex``."""
    md, tex = stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".tex")
    md.write_text(f"{caption}\n\n{to_markdown(t)}\n", encoding="utf-8")
    tex.write_text(to_latex(t, caption), encoding="utf-8")
    return [md, write_csv(t, stem.with_name(stem.name + ".csv")), tex]


def group_title(name: str, n: int) -> str:
    return f"{name} (n = {n})"


"""The model-by-benchmark table as Markdown, CSV and LaTeX, against text written by hand."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from lm_eval_passk.report.tables import GroupedTable, tex_escape, to_latex, to_markdown, write_tables

TABLE = GroupedTable(
    "model",
    [("passk_gsm8k (n = 16)", ["pass@1", "pass@16", "ΔSE@16"]), ("passk_aime24 (n = 1024)", ["pass@1", "ΔSE"])],
    [("Qwen2.5-7B", [[0.5, 0.875, None], [0.1, None]]),
     ("base_rl & 50%", [[0.625, 0.8, 0.25], [0.12345, 0.5]])],
)


def test_markdown():
    assert to_markdown(TABLE) == "\n".join([
        "| model | passk_gsm8k (n = 16) pass@1 | passk_gsm8k (n = 16) pass@16 | passk_gsm8k (n = 16) ΔSE@16 "
        "| passk_aime24 (n = 1024) pass@1 | passk_aime24 (n = 1024) ΔSE |",
        "|---|---|---|---|---|---|",
        "| Qwen2.5-7B | 50.0 | 87.5 | — | 10.0 | — |",
        "| base_rl & 50% | 62.5 | 80.0 | 25.0 | 12.3 | 50.0 |",
    ])


def test_latex_booktabs():
    assert to_latex(TABLE, "pass@k (%) by model") == "\n".join([
        r"% needs \usepackage{booktabs}",
        r"\begin{table}[t]",
        r"\centering",
        r"\caption{pass@k (\%) by model}",
        r"\begin{tabular}{l rrr rr}",
        r"\toprule",
        r" & \multicolumn{3}{c}{passk\_gsm8k (n = 16)} & \multicolumn{2}{c}{passk\_aime24 (n = 1024)} \\",
        r"\cmidrule(lr){2-4} \cmidrule(lr){5-6}",
        r"model & pass@1 & pass@16 & $\Delta_{\mathrm{SE}}$@16 & pass@1 & $\Delta_{\mathrm{SE}}$ \\",
        r"\midrule",
        r"Qwen2.5-7B & 50.0 & 87.5 & -- & 10.0 & -- \\",
        r"base\_rl \& 50\% & 62.5 & 80.0 & 25.0 & 12.3 & 50.0 \\",
        r"\bottomrule",
        r"\end{tabular}",
        r"\end{table}",
        "",
    ])


def test_tex_escape_leaves_nothing_active():
    assert tex_escape(r"a_b#c$d{e}~f^g\h") == r"a\_b\#c\$d\{e\}\textasciitilde{}f\textasciicircum{}g\textbackslash{}h"


def test_csv_is_long_form_with_full_precision(tmp_path):
    md, csv_path, tex = write_tables(TABLE, tmp_path / "table", "caption")
    assert (md.name, csv_path.name, tex.name) == ("table.md", "table.csv", "table.tex")
    with csv_path.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 * 5
    assert rows[0] == {"model": "Qwen2.5-7B", "group": "passk_gsm8k (n = 16)", "column": "pass@1", "value": "0.5"}
    assert rows[2]["value"] == ""  # the base model has no ΔSE
    assert float(rows[-2]["value"]) == 0.12345
    assert md.read_text().startswith("caption\n\n| model |")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex (apt-get install texlive-latex-recommended)")
def test_latex_compiles_with_booktabs(tmp_path):
    (tmp_path / "table.tex").write_text(to_latex(TABLE, "pass@k (%); base_model & co #1 ~ ^"))
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{table.tex}\n\\end{document}\n")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "paper.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / "paper.pdf").stat().st_size > 0

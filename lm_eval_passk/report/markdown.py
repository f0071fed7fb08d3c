"""Markdown pieces shared by the run report and the comparison."""

from __future__ import annotations

from collections.abc import Sequence


def percent(value: float) -> str:
    return f"{100 * value:.1f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def bullet_list(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)

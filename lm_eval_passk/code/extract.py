"""Code responses -> programs: fenced blocks, LiveCodeBench's first block, and
evalplus-style sanitising of a function completion. Pure functions, standard library only."""

from __future__ import annotations

import ast
import re

_FENCE = re.compile(r"^\s*```[^\n`]*$")


def fenced_blocks(text: str) -> list[str]:
    """Contents of the ``` fenced blocks, in order (an unclosed last block counts)."""
    blocks, current = [], None
    for line in text.split("\n"):
        if _FENCE.match(line):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def extract_lcb_code(text: str) -> str | None:
    """LiveCodeBench's rule: the lines between the first two lines holding ```."""
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if "```" in line]
    if len(fences) < 2:
        return None
    return "\n".join(lines[fences[0] + 1 : fences[1]])


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True


def _defines(tree: ast.Module, name: str) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in tree.body)


def extract_function_code(text: str, entry_point: str) -> str | None:
    """evalplus-style sanitising of a HumanEval+ response: the code (the response up
    to its first fence when the prompt opened the block, else a fenced block) that
    defines ``entry_point``, cut to its imports and the definitions it reaches."""
    candidates = [text.split("```")[0], *fenced_blocks(text)]
    for code in candidates:
        if code.strip() and _parses(code) and _defines(ast.parse(code), entry_point):
            return _keep_reachable(code, entry_point)
    return None


def _keep_reachable(code: str, entry_point: str) -> str:
    """Imports, plus the first definition of each name that ``entry_point`` reaches
    (functions, classes, single-name assignments); drops prints, asserts, main blocks."""
    tree = ast.parse(code)
    imports, definitions = [], {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            definitions.setdefault(node.name, node)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            definitions.setdefault(node.targets[0].id, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            definitions.setdefault(node.target.id, node)
    reached, queue = {entry_point}, [entry_point]
    while queue:
        node = definitions.get(queue.pop())
        for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node else ():
            if name in definitions and name not in reached:
                reached.add(name)
                queue.append(name)
    kept = [n for n in tree.body if n in imports or any(n is definitions[r] for r in reached if r in definitions)]
    return "\n".join(ast.get_source_segment(code, n) for n in kept)

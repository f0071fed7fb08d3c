"""Read what ``lm_eval --output_path OUT --log_samples`` wrote:
``OUT/<model>/results_<date>.json`` and ``OUT/<model>/samples_<task>_<date>.jsonl``.

A run folder may be cut short: a task without a samples file, or a samples file whose
last line was cut off. Those are read as far as they go and described in
``Run.notes``; a line that is not JSON in the middle of a file is a corrupt file,
kept out of the run and described in ``Run.errors``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..settings import PassKConfigError

RESULTS_GLOB = "results_*.json"
SUBSET_FIELDS = ("subject", "level", "difficulty", "platform", "subfield")
"""Document keys that split a benchmark into subsets (MATH500 subject and level,
LiveCodeBench difficulty and platform, OlympiadBench subfield), read when present."""


@dataclass(frozen=True)
class Problem:
    """One problem's samples, as the ``passk`` record of a samples line gives them."""

    id: str
    n: int
    c: int
    verdicts: tuple[bool, ...]
    answers: tuple[str | None, ...]
    doc_hash: str | None
    """lm-eval's hash of the problem document: same id, other text -> other problem."""
    subsets: tuple[tuple[str, str], ...] = ()
    """(field, value) of each ``SUBSET_FIELDS`` key its document has."""


@dataclass(frozen=True)
class Benchmark:
    """The problems of one task, or of all tasks of a group (ids ``task/id``)."""

    name: str
    problems: tuple[Problem, ...]
    expected: int | None
    """How many problems the run set out to sample (``n-samples``); None if unknown."""

    @property
    def n(self) -> int:
        """Samples per problem; the smallest, should a group mix several n."""
        return min(p.n for p in self.problems)

    @property
    def missing(self) -> int:
        return 0 if self.expected is None else max(self.expected - len(self.problems), 0)


@dataclass(frozen=True)
class SamplesFile:
    lines: list[dict]
    cut_off: bool
    """The last line is not JSON: the writer was stopped mid-line."""


@dataclass
class Run:
    results_path: Path
    results: dict[str, Any]
    label: str
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def find_results_file(path: Path) -> Path:
    """The results JSON of a run: ``path`` itself, the newest one in ``path``, or the
    newest one in its single model subfolder (``path`` = lm_eval's ``--output_path``)."""
    if path.is_file():
        return path
    if not path.is_dir():
        raise PassKConfigError(f"{path} does not exist; pass the folder given to lm_eval --output_path")
    found = sorted(path.glob(RESULTS_GLOB))
    if not found:
        model_dirs = sorted({p.parent for p in path.glob(f"*/{RESULTS_GLOB}")})
        if len(model_dirs) > 1:
            names = ", ".join(str(d) for d in model_dirs)
            raise PassKConfigError(f"{path} holds runs of several models; pass one of: {names}")
        found = sorted(model_dirs[0].glob(RESULTS_GLOB)) if model_dirs else []
    if not found:
        raise PassKConfigError(
            f"no {RESULTS_GLOB} in {path} or its subfolders; run lm_eval with --output_path {path} --log_samples"
        )
    return found[-1]  # the date in the name sorts chronologically


def date_id(results_path: Path) -> str:
    return results_path.stem[len("results_"):]


def samples_path(results_path: Path, task: str) -> Path:
    return results_path.parent / f"samples_{task}_{date_id(results_path)}.jsonl"


def read_results(results_path: Path) -> dict[str, Any]:
    try:
        results = json.loads(results_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PassKConfigError(f"cannot read {results_path}: {err}") from None
    if not isinstance(results, dict) or "results" not in results:
        raise PassKConfigError(f"{results_path} is not an lm_eval results file (no 'results' key)")
    return results


def read_samples(path: Path) -> SamplesFile:
    """The JSON lines of a samples file; a cut-off last line is dropped and flagged."""
    raw = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = []
    for number, line in enumerate(raw, 1):
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError as err:
            if number == len(raw):
                return SamplesFile(lines, cut_off=True)
            raise PassKConfigError(f"{path}:{number} is not valid JSON ({err.msg}); the file is corrupt") from None
    return SamplesFile(lines, cut_off=False)


def task_names(results: dict[str, Any]) -> list[str]:
    """Tasks (not groups) of the run, in the results file's order."""
    groups = set(results.get("group_subtasks") or {})
    return [name for name in results.get("results", {}) if name not in groups]


def group_leaves(results: dict[str, Any]) -> dict[str, list[str]]:
    """Each group -> the tasks under it, nested groups flattened."""
    subtasks: dict[str, list[str]] = results.get("group_subtasks") or {}

    def leaves(name: str) -> list[str]:
        return [leaf for sub in subtasks[name] for leaf in (leaves(sub) if sub in subtasks else [sub])]

    return {group: leaves(group) for group in subtasks}


def expected_problems(results: dict[str, Any], task: str) -> int | None:
    counts = (results.get("n-samples") or {}).get(task) or {}
    return counts.get("effective")


def problem_of(line: dict) -> Problem:
    record = line["passk"]
    verdicts = tuple(bool(v) for v in record["verdicts"])
    if len(verdicts) != record["n"] or sum(verdicts) != record["c"]:
        raise ValueError(f"n={record['n']}, c={record['c']} disagree with its {len(verdicts)} verdicts")
    doc = line.get("doc") or {}
    return Problem(
        id=str(doc.get("id", line["doc_id"])),
        n=int(record["n"]),
        c=int(record["c"]),
        verdicts=verdicts,
        answers=tuple(record.get("answers") or (None,) * len(verdicts)),
        doc_hash=line.get("doc_hash"),
        subsets=tuple((key, str(doc[key])) for key in SUBSET_FIELDS if doc.get(key) not in (None, "")),
    )


def read_task(run: Run, task: str) -> list[dict] | None:
    """The samples lines of one task; None (with a note or an error) if unusable."""
    path = samples_path(run.results_path, task)
    if not path.is_file():
        run.notes.append(f"{task}: no samples file {path.name} (run lm_eval with --log_samples, "
                         "or the run stopped before writing it)")
        return None
    try:
        samples = read_samples(path)
    except (PassKConfigError, OSError, UnicodeDecodeError) as err:
        run.errors.append(str(err))
        return None
    if not samples.lines:
        run.notes.append(f"{task}: the samples file {path.name} is empty (the run stopped before writing it)")
        return None
    if "passk" not in samples.lines[0]:
        run.notes.append(f"{task}: not a pass@k task (its samples carry no 'passk' record); left out")
        return None
    expected = expected_problems(run.results, task)
    if samples.cut_off or (expected is not None and len(samples.lines) < expected):
        total = "?" if expected is None else expected
        run.notes.append(f"{task}: incomplete samples file, {len(samples.lines)} of {total} problems "
                         f"(the run was interrupted); reporting the {len(samples.lines)} complete ones")
    return samples.lines


def load_run(path: Path, label: str | None = None) -> Run:
    """Every pass@k task of a run, and every group whose tasks were all read."""
    results_path = find_results_file(Path(path))
    results = read_results(results_path)
    run = Run(results_path, results, label or model_label(results))
    for task in task_names(results):
        lines = read_task(run, task)
        if lines is None:
            continue
        try:
            problems = tuple(problem_of(line) for line in lines)
        except (KeyError, TypeError, ValueError) as err:
            run.errors.append(f"{samples_path(results_path, task)}: malformed passk record ({err})")
            continue
        run.benchmarks[task] = Benchmark(task, problems, expected_problems(results, task))
    for group, leaves in group_leaves(results).items():
        absent = [t for t in leaves if t not in run.benchmarks]
        if absent:
            run.notes.append(f"{group}: no pooled curve, {', '.join(absent)} could not be read")
            continue
        problems = tuple(replace(p, id=f"{t}/{p.id}") for t in leaves for p in run.benchmarks[t].problems)
        expected = [run.benchmarks[t].expected for t in leaves]
        total = None if None in expected else sum(expected)
        run.benchmarks[group] = Benchmark(group, problems, total)
    return run


def model_label(results: dict[str, Any]) -> str:
    """A short name for plots: the model id, a local path's last part, or the GGUF
    file's name; plus the grader when the run was rescored."""
    args = (results.get("config") or {}).get("model_args") or {}
    if isinstance(args, str):
        args = dict(part.split("=", 1) for part in args.split(",") if "=" in part)
    name = str(results.get("model_name") or (results.get("config") or {}).get("model") or "model")
    if args.get("gguf_file"):
        name = Path(str(args["gguf_file"])).stem
    elif name.startswith(("/", ".", "~")):
        name = Path(name).name or name
    rescored = results.get("passk_rescored")
    return f"{name} [{rescored['grader']}]" if rescored else name

"""``lm-eval-passk rescore``: grade the saved responses of a finished run again, with
another grading mode or a newer grader, and write a new run folder laid out like
lm_eval's (``OUT/<model>/results_<date>.json`` + ``samples_<task>_<date>.jsonl``),
which ``report`` and ``compare`` read like any other.

Answers are re-extracted from each sample's ``resps``; gold answers are the saved
documents' ``answer``. Task and group metrics are aggregated with lm-eval's own
functions, so rescoring with the run's own grader reproduces its results file.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .estimators import problem_metrics
from .math.extract import extract_math_answer
from .math.grading import GRADING_MODES, grade_answers
from .report.runs import (
    find_results_file,
    group_leaves,
    read_results,
    read_samples,
    samples_path,
    task_names,
)
from .settings import PassKConfigError, PassKSettings

FILTER = "passk"


@dataclass
class Rescored:
    results_path: Path | None = None
    tasks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def task_aggregates(per_problem: list[dict[str, Any]]) -> dict[str, Any]:
    """``"metric,passk"`` and ``"metric_stderr,passk"`` entries of a results file."""
    from lm_eval.api.metrics import mean, mean_stderr

    out: dict[str, Any] = {}
    for name in per_problem[0]:
        if name == FILTER:
            records = [m[FILTER] for m in per_problem]
            out[f"{FILTER},{FILTER}"] = sum(r["c"] for r in records) / sum(r["n"] for r in records)
            out[f"{FILTER}_stderr,{FILTER}"] = "N/A"
        else:
            values = [m[name] for m in per_problem]
            out[f"{name},{FILTER}"] = mean(values)
            out[f"{name}_stderr,{FILTER}"] = mean_stderr(values) if len(values) > 1 else "N/A"
    return out


def group_aggregates(group_entry: dict[str, Any], leaves: list[dict[str, Any]]) -> dict[str, Any]:
    """The metrics a group reported, pooled again over its (rescored) tasks."""
    from lm_eval.api.metrics import aggregate_subtask_metrics, pooled_sample_stderr

    out = dict(group_entry)
    sizes = [leaf["sample_len"] for leaf in leaves]
    for key in group_entry:
        metric, _, filter_name = key.partition(",")
        if filter_name != FILTER or metric.endswith("_stderr") or not all(key in leaf for leaf in leaves):
            continue
        out[key] = aggregate_subtask_metrics([leaf[key] for leaf in leaves], sizes)
        stderr_key = f"{metric}_stderr,{FILTER}"
        stderrs = [leaf.get(stderr_key, "N/A") for leaf in leaves]
        out[stderr_key] = "N/A" if "N/A" in stderrs else float(pooled_sample_stderr(stderrs, sizes))
    return out


MATH_DOC_KEYS = {"id", "problem", "answer"}  # lm_eval_passk.math.data's normal form of a math problem


@dataclass
class TaskToRescore:
    name: str
    lines: list[dict]
    settings: PassKSettings
    last_number_fallback: bool
    answers: list[list[str | None]] = field(default_factory=list)
    verdicts: list[list[bool]] = field(default_factory=list)

    def extract(self) -> None:
        self.answers = [[extract_math_answer(r, self.last_number_fallback) for group in line["resps"] for r in group]
                        for line in self.lines]

    def golds(self) -> list[str]:
        return [str(line["doc"]["answer"]) for line, per_line in zip(self.lines, self.answers) for _ in per_line]

    def rescored_lines(self) -> list[dict]:
        """Each samples line with its answers, verdicts and metrics graded again."""
        out = []
        for line, answers, verdicts in zip(self.lines, self.answers, self.verdicts):
            metrics: dict[str, Any] = problem_metrics([k for k in self.settings.ks if k <= len(verdicts)], answers, verdicts)
            kept = {k: v for k, v in (line.get(FILTER) or {}).items() if k != "grading_failed"}  # finish_reasons...
            metrics[FILTER] = {**kept, "n": len(verdicts), "c": sum(verdicts), "verdicts": verdicts, "answers": answers}
            new = {key: value for key, value in line.items() if key not in line.get("metrics", [])}
            new.update(metrics, metrics=list(metrics),
                       filtered_resps=[[str({"answer": a, "correct": v}) for a, v in zip(answers, verdicts)]])
            out.append(new)
        return out


def grade_tasks(tasks: list[TaskToRescore], workers: int | None) -> None:
    """Extract and grade the answers of all tasks, one grading pool per timeout."""
    for task in tasks:
        task.extract()
    for timeout in sorted({t.settings.grading_timeout for t in tasks}):
        batch = [t for t in tasks if t.settings.grading_timeout == timeout]
        grades = grade_answers(
            [a for t in batch for per_line in t.answers for a in per_line],
            [gold for t in batch for gold in t.golds()],
            mode=batch[0].settings.grader, timeout_s=timeout, workers=workers, desc="rescoring",
        )
        verdicts = iter(grades.verdicts)
        for t in batch:
            t.verdicts = [[next(verdicts) for _ in per_line] for per_line in t.answers]


def read_task(results: dict[str, Any], results_path: Path, task: str, overrides: dict[str, Any],
              done: Rescored) -> TaskToRescore | None:
    path = samples_path(results_path, task)
    if not path.is_file():
        done.notes.append(f"{task}: no samples file {path.name}; left out")
        return None
    try:
        samples = read_samples(path)
    except PassKConfigError as err:
        done.errors.append(str(err))
        return None
    doc = (samples.lines[0].get("doc") or {}) if samples.lines else {}
    if "passk" not in (samples.lines or [{}])[0] or not {"problem", "answer"} <= doc.keys() <= MATH_DOC_KEYS:
        done.notes.append(f"{task}: not a math pass@k task (rescore re-grades math answers only); left out")
        return None
    if samples.cut_off:
        done.notes.append(f"{task}: the samples file was cut off; rescored its {len(samples.lines)} complete problems")
    metadata = (results.get("configs", {}).get(task) or {}).get("metadata") or {}
    settings = PassKSettings.from_metadata(task, {**metadata, **overrides})
    return TaskToRescore(task, samples.lines, settings, bool(metadata.get("last_number_fallback")))


def target_folder(source: Path, out: Path, results: dict[str, Any]) -> Path:
    folder = out / str(results.get("model_name_sanitized") or source.parent.name)
    if folder.resolve() == source.parent.resolve() or any(folder.glob("results_*.json")):
        raise PassKConfigError(f"{folder} already holds a run; give rescore a new --out folder")
    return folder


def rescore_run(source: Path, out: Path, grader: str, *, timeout_s: float | None = None,
                workers: int | None = None) -> Rescored:
    """Grade every math pass@k task of the run at ``source`` again into ``out``."""
    if grader not in GRADING_MODES:
        raise PassKConfigError(f"unknown grader {grader!r}; choose one of {', '.join(GRADING_MODES)}")
    results_path = find_results_file(Path(source))
    results = read_results(results_path)
    folder = target_folder(results_path, Path(out), results)
    date = datetime.now().isoformat().replace(":", "-")
    done = Rescored()
    overrides = {"grader": grader, **({"grading_timeout": timeout_s} if timeout_s else {})}
    tasks = [t for name in task_names(results) if (t := read_task(results, results_path, name, overrides, done))]
    if tasks:
        grade_tasks(tasks, workers)
    new_results = copy.deepcopy(results)
    for task in tasks:
        rescored = task.rescored_lines()
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"samples_{task.name}_{date}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in rescored)
        new_results["results"][task.name].update(
            task_aggregates([{k: line[k] for k in line["metrics"]} for line in rescored]), sample_len=len(rescored))
        new_results["configs"][task.name]["metadata"].update(
            grader=grader, grading_timeout=task.settings.grading_timeout)
        done.tasks.append(task.name)
    if not done.tasks:
        raise PassKConfigError(f"nothing to rescore in {results_path}: " + "; ".join(done.notes + done.errors))
    groups = {}
    for group, leaves in group_leaves(results).items():
        if all(t in done.tasks for t in leaves) and group in results.get("groups", {}):
            groups[group] = group_aggregates(results["groups"][group], [new_results["results"][t] for t in leaves])
    new_results["groups"] = groups
    new_results["results"] = {name: groups.get(name, entry) for name, entry in new_results["results"].items()
                              if name in done.tasks or name in groups}
    new_results["passk_rescored"] = {"source": str(results_path), "grader": grader, "date": date}
    done.results_path = folder / f"results_{date}.json"
    done.results_path.write_text(json.dumps(new_results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return done

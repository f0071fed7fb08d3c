"""What the start-up hook does to lm-eval once it is imported (lm-eval 0.4.13 has no
plugin entry point for tasks):

* every ``TaskManager`` also indexes our task folder, so ``--tasks passk_math`` works
  with no ``--include_path``;
* a group whose tasks are all pass@k tasks aggregates exactly the metrics every one of
  its tasks reports (n, and so the k list, differ per benchmark);
* our configuration errors, unknown ``passk_*`` names and malformed JSON arguments
  end the CLI with one line instead of a traceback;
* our model backends (``--model vllm_n``) are registered, lazily, after lm-eval's own.

Each patch marks what it wrapped, so applying it twice changes nothing.
"""

from __future__ import annotations

import difflib
import functools
import sys
from pathlib import Path
from types import ModuleType

from . import tasks_path

_MARK = "_lm_eval_passk_patched"


def _once(cls: type, name: str, make_wrapper) -> None:
    original = getattr(cls, name)
    if getattr(original, _MARK, False):
        return
    wrapper = functools.wraps(original)(make_wrapper(original))
    setattr(wrapper, _MARK, True)
    setattr(cls, name, wrapper)


def with_our_tasks(include_path):
    """``include_path`` plus our task folder (ours first, so a user's path still wins)."""
    ours = tasks_path()
    paths = [] if include_path is None else list(include_path) if isinstance(include_path, (list, tuple)) else [include_path]
    if any(Path(p).resolve() == ours for p in paths):
        return include_path
    return [ours, *paths]


def register_tasks(manager_module: ModuleType) -> None:
    def make(original):
        def __init__(self, verbosity=None, include_path=None, include_defaults=True, metadata=None):
            original(self, verbosity, with_our_tasks(include_path), include_defaults, metadata)

        return __init__

    _once(manager_module.TaskManager, "__init__", make)


def aggregate_common_metrics(group_module: ModuleType) -> None:
    def make(original):
        def aggregate(self, task_metrics):
            from lm_eval.config.group import AggMetricConfig

            from .harness import FILTER_NAME, PassKTask

            leaves = self.get_all_tasks()
            if leaves and all(isinstance(t, PassKTask) for t in leaves):
                common = [m for m in leaves[0].metric_names() if all(m in t.metric_names() for t in leaves)]
                self.aggregate_metric_list = [
                    AggMetricConfig(metric=m, filter_list=[FILTER_NAME], weight_by_size=True) for m in common
                ]
            return original(self, task_metrics)

        return aggregate

    _once(group_module.Group, "aggregate", make)


def our_task_names() -> list[str]:
    """Task and group names we ship (file name = task name, ``_name.yaml`` for groups)."""
    root = tasks_path()
    return sorted({p.stem.lstrip("_") for p in root.glob("**/*.yaml")})


def _fail(message: str) -> None:
    print(f"lm-eval-passk: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def _unknown_passk_tasks(err: ValueError) -> str | None:
    """The one-line message for "Tasks not found" naming one of ours, else None."""
    prefix = "Tasks not found: "
    text = str(err)
    if not text.startswith(prefix):
        return None
    missing = [name.strip() for name in text[len(prefix):].split(",")]
    ours = [name for name in missing if name.startswith("passk_")]
    if not ours:
        return None
    known = our_task_names()
    hints = []
    for name in ours:
        close = difflib.get_close_matches(name, known, n=1)
        hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
    return f"unknown task {', '.join(hints)}; lm-eval-passk provides: {', '.join(known)}"


def report_config_errors(cli_module: ModuleType) -> None:
    """One line and exit code 2, instead of a traceback, for our usage errors, for an
    unknown ``passk_*`` task and for malformed ``key=value``/JSON arguments."""
    from .settings import PassKConfigError

    def make_execute(original):
        def execute(self, args):
            try:
                return original(self, args)
            except PassKConfigError as err:
                _fail(str(err))
            except ValueError as err:
                message = _unknown_passk_tasks(err)
                if message is None:
                    raise
                _fail(message)

        return execute

    def make_parse_args(original):
        def parse_args(self, *args, **kwargs):
            try:
                return original(self, *args, **kwargs)
            except ValueError as err:
                if not str(err).startswith("Invalid JSON"):
                    raise
                _fail(f"{err} (in --metadata, --model_args or --gen_kwargs)")

        return parse_args

    _once(cli_module.HarnessCLI, "execute", make_execute)
    _once(cli_module.HarnessCLI, "parse_args", make_parse_args)


# Model name -> "module:Class", imported only when a run asks for that model.
MODELS = {"vllm_n": "lm_eval_passk.models.vllm_n:VLLMN"}


def register_models(models_module: ModuleType) -> None:
    """Register our backends lazily, after lm-eval's own (registering any model before
    ``lm_eval.models`` is imported would hide every built-in one)."""
    from lm_eval.api.registry import model_registry

    for name, target in MODELS.items():
        if name not in model_registry:
            model_registry.register(name, target=target)

"""What the start-up hook does to lm-eval once it is imported (lm-eval 0.4.13 has no
plugin entry point for tasks):

* every ``TaskManager`` also indexes our task folder, so ``--tasks passk_math`` works
  with no ``--include_path``;
* a group whose tasks are all pass@k tasks aggregates exactly the metrics every one of
  its tasks reports (n, and so the k list, differ per benchmark);
* our configuration errors end the CLI with one line instead of a traceback.

Each patch marks what it wrapped, so applying it twice changes nothing.
"""

from __future__ import annotations

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


def report_config_errors(cli_module: ModuleType) -> None:
    from .settings import PassKConfigError

    def make(original):
        def execute(self, args):
            try:
                return original(self, args)
            except PassKConfigError as err:
                print(f"lm-eval-passk: error: {err}", file=sys.stderr)
                raise SystemExit(2) from None

        return execute

    _once(cli_module.HarnessCLI, "execute", make)

"""pass@k evaluation of sampled reasoning for lm-evaluation-harness.

Importing this package must stay cheap: the start-up hook imports it in every
Python process of the environment.
"""

__version__ = "0.1.0"


def tasks_path():
    """The folder of task YAMLs (a ``pathlib.Path``), for ``lm_eval --include_path``."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    installed = here / "tasks"  # wheel: tasks/ is packaged as lm_eval_passk/tasks
    return installed if installed.is_dir() else here.parent / "tasks"  # source tree, editable

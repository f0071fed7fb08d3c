"""Our tasks are found with no --include_path after ``pip install .`` and
``pip install -e .``, from every entry point of lm-eval.

Each test installs the package into a fresh virtual environment whose other
dependencies come from the current one (through a plain path, so the current
environment's own start-up hooks stay off).
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TASKS = ["passk_math", "passk_gsm8k", "passk_math500", "passk_minerva", "passk_aime24", "passk_amc23", "passk_demo",
         "passk_vision", "passk_mathvista", "passk_mathvista_all", "passk_mathvision", "passk_mathvision_all",
         "passk_code", "passk_humanevalplus", "passk_livecodebench"]
DEMO_RUN = ["--model", "dummy", "--tasks", "passk_demo", "--metadata", '{"n": 2}', "--limit", "1"]


class Env:
    def __init__(self, root: Path):
        self.root = root
        venv.EnvBuilder(with_pip=False).create(root)
        self.python = root / "bin" / "python"
        self.site = Path(self.run_python("import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
        (self.site / "_current_env.pth").write_text("\n".join(site.getsitepackages()) + "\n")
        # lm-eval itself, for its console scripts (lm_eval, lm-eval) bound to this environment
        self.pip_install("--ignore-installed", f"lm-eval=={version('lm_eval')}")

    def pip_install(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "pip", "--python", str(self.python), "install", "--no-deps",
                        "--no-build-isolation", "-q", *args], check=True, capture_output=True, cwd=REPO)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "PATH": f"{self.root / 'bin'}:{os.environ['PATH']}"}
        env.pop("PYTHONPATH", None)
        proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=self.root, timeout=600)
        if check and proc.returncode != 0:
            raise AssertionError(f"{args} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
        return proc

    def run_python(self, code: str) -> str:
        return self.run(str(self.python), "-c", code).stdout


def found_tasks(env: Env) -> dict:
    return json.loads(env.run_python(
        "import json, lm_eval_passk\n"
        "from lm_eval.tasks import TaskManager\n"
        "tm = TaskManager()\n"
        f"print(json.dumps({{'found': [t for t in {TASKS!r} if t in tm.all_tasks], 'stock': 'gsm8k' in tm.all_tasks,"
        " 'tasks_path': str(lm_eval_passk.tasks_path())}))"
    ).splitlines()[-1])


def assert_demo_table(proc: subprocess.CompletedProcess) -> None:
    assert "|passk_demo|" in proc.stdout and "pass@2" in proc.stdout, proc.stdout[-2000:]


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory) -> Env:
    env = Env(tmp_path_factory.mktemp("wheel") / "venv")
    env.pip_install("--ignore-installed", str(REPO))
    return env


def test_wheel_ships_tasks_and_registers_them(wheel_env):
    found = found_tasks(wheel_env)
    assert found["found"] == TASKS and found["stock"]
    assert Path(found["tasks_path"]).is_relative_to(wheel_env.site)  # the packaged copy, not the checkout
    assert (wheel_env.site / "lm_eval_passk.pth").is_file()


@pytest.mark.parametrize(
    "command",
    [["lm_eval"], ["lm-eval", "run"], ["python", "-m", "lm_eval"]],
    ids=["lm_eval", "lm-eval-run", "python-m-lm_eval"],
)
def test_cli_entry_points_find_our_tasks(wheel_env, command):
    assert_demo_table(wheel_env.run(*command, *DEMO_RUN))


def test_simple_evaluate_finds_our_tasks(wheel_env):
    out = wheel_env.run_python(
        "import lm_eval\n"
        "r = lm_eval.simple_evaluate(model='dummy', tasks=['passk_demo'], metadata={'n': 2}, limit=1)\n"
        "print(sorted(k for k in r['results']['passk_demo'] if k.startswith('pass@')))"
    )
    assert "['pass@1,passk', 'pass@1_stderr,passk', 'pass@2,passk', 'pass@2_stderr,passk']" in out


def test_startup_hook_is_idempotent_and_free_until_lm_eval_is_imported(wheel_env):
    out = wheel_env.run_python(
        "import site, sys\n"
        "before = ('lm_eval' in sys.modules, 'lm_eval_passk.registration' in sys.modules)\n"
        f"site.addsitedir({str(wheel_env.site)!r})  # processes lm_eval_passk.pth a second time\n"
        "hooks = sum(type(f).__name__ == '_AfterImport' for f in sys.meta_path)\n"
        "from lm_eval.tasks import TaskManager\n"
        "init, depth = TaskManager.__init__, 0\n"
        "while hasattr(init, '__wrapped__'):\n"
        "    init, depth = init.__wrapped__, depth + 1\n"
        "print(before, hooks, depth, TaskManager().all_tasks.count('passk_gsm8k'))"
    )
    assert out.strip().splitlines()[-1] == "(False, False) 1 1 1"


def test_entry_point_groups_proposed_upstream(wheel_env):
    out = wheel_env.run_python(
        "from importlib.metadata import entry_points\n"
        "(ep,) = [e for e in entry_points(group='lm_eval.tasks') if e.name == 'lm_eval_passk']\n"
        "print(ep.load()())"
    )
    assert Path(out.strip()).joinpath("_passk_math.yaml").is_file()


def test_editable_install_registers_tasks(tmp_path):
    env = Env(tmp_path / "venv")
    env.pip_install("--ignore-installed", "-e", str(REPO))
    assert (env.site / "lm_eval_passk.pth").is_file()
    found = found_tasks(env)
    assert found["found"] == TASKS and found["stock"]
    assert Path(found["tasks_path"]) == REPO / "tasks"
    listing = env.run("lm_eval", "ls", "tasks").stdout
    assert all(f"|{task} " in listing for task in TASKS)


def test_tasks_path_command_names_the_packaged_task_folder(wheel_env):
    # the explicit route: lm_eval --include_path "$(lm-eval-passk tasks-path)"
    tasks_path = Path(wheel_env.run("lm-eval-passk", "tasks-path").stdout.strip())
    assert tasks_path == wheel_env.site / "lm_eval_passk" / "tasks"
    assert (tasks_path / "passk_gsm8k" / "passk_gsm8k.yaml").is_file()

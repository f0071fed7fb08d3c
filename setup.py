"""Only here to ship ``lm_eval_passk.pth`` (the start-up hook) at the root of
site-packages, for both ``pip install .`` and ``pip install -e .``; the metadata is in
setup.cfg."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "lm_eval_passk.pth"


class BuildWithStartupHook(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            # editable_wheel packs whatever "install" put in the unpacked wheel
            root = self.get_finalized_command("install").install_lib
        else:
            root = self.build_lib
        (Path(root) / PTH).write_text((Path(__file__).parent / PTH).read_text())


setup(cmdclass={"build_py": BuildWithStartupHook})

"""Run one untrusted program under limits, in its own process; knows nothing of
benchmarks. ``detect()`` once, then ``run_program`` per program."""

from .isolation import INSTALL_HINT, Isolation
from .runner import UNREPRESENTABLE, Limits, Outcome, detect, run_program

__all__ = ["INSTALL_HINT", "Isolation", "Limits", "Outcome", "UNREPRESENTABLE", "detect", "run_program"]

"""Reports on finished runs: read lm_eval's output folders, draw and tabulate pass@k.

Never imports grading or the sandbox: everything here works from the saved verdicts.
"""

from .comparison import write_comparison
from .runs import Benchmark, Problem, Run, load_run
from .single_run import BootstrapSettings, write_report
from .trajectory import write_trajectory

__all__ = ["Benchmark", "BootstrapSettings", "Problem", "Run", "load_run", "write_comparison", "write_report",
           "write_trajectory"]

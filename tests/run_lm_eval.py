"""``lm_eval`` itself, with the scripted model registered (after lm-eval's own
models, so the built-ins stay visible): ``python tests/run_lm_eval.py <lm_eval args>``."""

import sys
from pathlib import Path

import lm_eval.models  # noqa: F401  (built-in models first)

sys.path.insert(0, str(Path(__file__).parent))
import scripted_model  # noqa: E402,F401
import scripted_curve_model  # noqa: E402,F401
import scripted_code_model  # noqa: E402,F401
import scripted_vision_model  # noqa: E402,F401

from lm_eval.__main__ import cli_evaluate  # noqa: E402

if __name__ == "__main__":
    cli_evaluate()

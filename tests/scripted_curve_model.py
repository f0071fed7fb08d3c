"""A scripted base model and its scripted "RL child", for the report tests.

Fixture problems read ``What is A + B? [solve rate r/8] [rl rate s/8]``. Under
``--model passk-curve --model_args pretrained=NAME,profile=base`` the model solves the
j-th copy of a problem when ``j % 8 < r`` (as ``passk-scripted`` does); with
``profile=rl`` it uses ``s`` instead. With n a multiple of 8 a problem therefore has
exactly ``c = n * rate / 8`` correct samples, and every pass@k curve is known in closed
form: ``mean over problems of 1 - C(n - c, k) / C(n, k)``.
"""

from __future__ import annotations

import re
from lm_eval.api.registry import register_model

from scripted_model import ScriptedLM, respond

RL_RATE = re.compile(r"\[solve rate \d/8\] \[rl rate (\d)/8\]")
PROFILES = ("base", "rl")


def as_profile(prompt: str, profile: str) -> str:
    """The prompt with the solve rate of ``profile`` in the slot ``respond`` reads."""
    if profile == "base":
        return prompt
    return RL_RATE.sub(lambda m: f"[solve rate {m.group(1)}/8]", prompt)


@register_model("passk-curve")
class CurveLM(ScriptedLM):
    def __init__(self, pretrained: str = "scripted", profile: str = "base", **kwargs) -> None:
        super().__init__()
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
        self.profile = profile

    def respond(self, request, copy: int) -> str:
        return respond(as_profile(request.args[0], self.profile), copy)

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
from collections import Counter

from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from scripted_model import respond

RL_RATE = re.compile(r"\[solve rate \d/8\] \[rl rate (\d)/8\]")
PROFILES = ("base", "rl")


def as_profile(prompt: str, profile: str) -> str:
    """The prompt with the solve rate of ``profile`` in the slot ``respond`` reads."""
    if profile == "base":
        return prompt
    return RL_RATE.sub(lambda m: f"[solve rate {m.group(1)}/8]", prompt)


@register_model("passk-curve")
class CurveLM(LM):
    def __init__(self, pretrained: str = "scripted", profile: str = "base", **kwargs) -> None:
        super().__init__()
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, got {profile!r}")
        self.profile = profile
        self.seen: Counter[str] = Counter()

    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        out = []
        for request in requests:
            prompt = request.args[0]
            out.append(respond(as_profile(prompt, self.profile), self.seen[prompt]))
            self.seen[prompt] += 1
        return out

    def loglikelihood(self, requests, disable_tqdm: bool = False):
        raise NotImplementedError("the scripted model only generates")

    def loglikelihood_rolling(self, requests, disable_tqdm: bool = False):
        raise NotImplementedError("the scripted model only generates")

"""A scripted stand-in for a model, so the real lm-eval CLI can run with answers we
control.

Every fixture problem asks for a sum, ``What is A + B? [solve rate r/8]``. The model
answers the j-th copy of a prompt (j = 0, 1, ...) correctly when ``j % 8 < r`` and
wrongly otherwise, cycling through answer styles, so a problem sampled n times has
exactly ``sum(j % 8 < r for j in range(n))`` correct answers.

Prompts of stock lm-eval tasks (no "Please reason step by step"; few-shot, so the
problem asked is the last one in the prompt) get one GSM8K-style answer, ``#### x``,
right when r > 0.
"""

from __future__ import annotations

import re
from collections import Counter

import lm_eval.models  # noqa: F401  (lm-eval's own models registered first)
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

PROBLEM = re.compile(r"What is (\d+) \+ (\d+)\? \[solve rate (\d)/8\]")
CORRECT_STYLES = (
    "We add the numbers step by step. So the total is $\\boxed{{{x}}}$.",
    "Adding gives {x}. The answer is {x}.",
    "Let me think.\n\nFinal answer: $\\boxed{{\\dfrac{{{x2}}}{{2}}}}$",
)
WRONG_STYLES = (
    "I believe the sum is \\boxed{{{w}}}.",
    "Hmm, I am not sure how to do this one.",
    "The answer is {w}.",
)


def correct_count(rate: int, n: int) -> int:
    return sum(j % 8 < rate for j in range(n))


def respond(prompt: str, copy: int) -> str:
    problems = PROBLEM.findall(prompt)
    if not problems:
        return "I cannot tell."
    a, b, rate = (int(g) for g in problems[-1])
    x = a + b
    if "Please reason step by step" not in prompt:
        return f"{a} + {b} = {x if rate else x + 1}.\n#### {x if rate else x + 1}"
    if copy % 8 < rate:
        return CORRECT_STYLES[copy % len(CORRECT_STYLES)].format(x=x, x2=2 * x)
    return WRONG_STYLES[copy % len(WRONG_STYLES)].format(w=x + 1 + copy % 3)


class ScriptedLM(LM):
    """Base of the scripted models: the j-th copy (j = 0, 1, ...) of a prompt is
    answered by ``respond(request, j)``; they only generate."""

    def __init__(self, **kwargs) -> None:
        super().__init__()
        self.seen: Counter[object] = Counter()

    def copy_key(self, request) -> object:
        """What counts as "the same prompt" for numbering copies."""
        return request.args[0]

    def respond(self, request, copy: int) -> str:
        raise NotImplementedError

    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        out = []
        for request in requests:
            key = self.copy_key(request)
            out.append(self.respond(request, self.seen[key]))
            self.seen[key] += 1
        return out

    def loglikelihood(self, requests, disable_tqdm: bool = False):
        raise NotImplementedError("the scripted model only generates")

    def loglikelihood_rolling(self, requests, disable_tqdm: bool = False):
        raise NotImplementedError("the scripted model only generates")


@register_model("passk-scripted")
class SumsLM(ScriptedLM):
    def respond(self, request, copy: int) -> str:
        return respond(request.args[0], copy)

"""A scripted stand-in model for the code tasks: the j-th copy of a fixture
prompt gets ``SCHEDULE[marker][j % 4]``, so a problem sampled n times has a known
number of programs that pass (``PASSING`` counts them per cycle of four)."""

from __future__ import annotations

from lm_eval.api.registry import register_model

from scripted_model import ScriptedLM

# HumanEval+ prompts open a python block, so a response may be bare code.
SCHEDULE = {
    "PASSK-FIXTURE-ADD": (
        "def add_pair(a, b):\n    return a + b\n```\nDone.",  # passes base and plus
        "def add_pair(a, b):\n    return a + b if a < 1000 else 0\n```",  # passes base only
        "def add_pair(a, b):\n    return a - b\n```",  # wrong
        "I cannot solve this.",  # no code
    ),
    "PASSK-FIXTURE-HALVES": (
        "Here it is:\n```python\ndef halves(xs):\n    return [x / 2 for x in xs]\n```",
        "def halves(xs):\n    return [x // 2 for x in xs]\n```",  # wrong: integer halves
        "import time\ndef halves(xs):\n    time.sleep(100)\n    return []\n```",  # time out
        "def halves(xs):\n    return [x / 2 for x in xs]\nprint(halves([1]))\nassert False\n```",  # sanitised: passes
    ),
    "PASSK-FIXTURE-SUM": (
        "```python\na, b = map(int, input().split())\nprint(a + b)\n```",
        "```python\nprint(3)\n```",  # right on the public test only
        "print(1)",  # no fenced block
        "```python\nimport sys\na, b = map(int, sys.stdin.buffer.read().split())\nprint(a + b)\nexit()\n```",
    ),
    "PASSK-FIXTURE-MAX": (
        "```python\nclass Solution:\n    def maxWithIndex(self, nums):\n        m = max(nums)\n"
        "        return (m, nums.index(m))\n```",  # a tuple counts as a list
        "```python\nclass Solution:\n    def maxWithIndex(self, nums):\n        return [max(nums), len(nums) - 1]\n```",
        "```python\nclass Solution:\n    def maxWithIndex(self, nums):\n        while True:\n            pass\n```",
        "```python\nclass Solution:\n    def maxWithIndex(self, nums: List[int]) -> List[int]:\n"
        "        best = max(range(len(nums)), key=lambda i: (nums[i], -i))\n        return [nums[best], best]\n```",
    ),
}
PASSING = {"PASSK-FIXTURE-ADD": (1, 0, 0, 0), "PASSK-FIXTURE-HALVES": (1, 0, 0, 1),
           "PASSK-FIXTURE-SUM": (1, 0, 0, 1), "PASSK-FIXTURE-MAX": (1, 0, 0, 1)}
BASE_PASSING = {"PASSK-FIXTURE-ADD": (1, 1, 0, 0), "PASSK-FIXTURE-HALVES": (1, 0, 0, 1)}


def passing_count(marker: str, n: int, table: dict = PASSING) -> int:
    return sum(table[marker][j % 4] for j in range(n))


@register_model("passk-scripted-code")
class ScriptedCodeLM(ScriptedLM):
    def respond(self, request, copy: int) -> str:
        prompt = request.args[0]
        marker = next((m for m in SCHEDULE if m in prompt), None)
        return SCHEDULE[marker][copy % 4] if marker else "no idea"

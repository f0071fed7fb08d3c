"""A scripted stand-in for a vision-language model, and the images it can read (in
MathVista and MathVision mirrors, and in a copy of MathVision's Hub layout).

Every fixture image shows red bars on white (:func:`draw_bars`). The model counts the
bars in the image it is handed (so a run only succeeds when the harness passes the
image), works out the answer the question asks for, and answers the j-th copy of a
prompt correctly when ``j % 8 < r`` (``[solve rate r/8]`` in the question), cycling
through answer styles. Wrong copies cycle through a wrong value, no answer, and a
second wrong value.

``python tests/scripted_vision_model.py <lm_eval args>`` is ``lm_eval`` with this model
registered as ``passk-scripted-vision``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from lm_eval.api.registry import register_model
from PIL import Image, ImageDraw

from scripted_model import ScriptedLM

BAR_WIDTH, GAP, HEIGHT = 8, 8, 40
RED = (220, 20, 20)
SOLVE_RATE = re.compile(r"\[solve rate (\d)/8\]")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "vision" / "testmini.json"
MATHVISION_FIXTURE = FIXTURE.parent / "mathvision_testmini.jsonl"
"""MATH-V's testmini.jsonl format, plus each problem's bar count (``bars``)."""


def draw_bars(count: int) -> Image.Image:
    image = Image.new("RGB", (GAP + count * (BAR_WIDTH + GAP) + 16, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    for i in range(count):
        left = GAP + i * (BAR_WIDTH + GAP)
        draw.rectangle((left, 8, left + BAR_WIDTH - 1, HEIGHT - 8), fill=RED)
    return image


def make_mirror(root: Path, images: bool = True) -> Path:
    """A mirror of the fixture problems of both vision benchmarks:
    ``<root>/mathvista/testmini.json`` and ``<root>/mathvision/testmini.jsonl`` and, unless
    told not to, each problem's bar chart where its ``image`` field says."""
    folder = root / "mathvista"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "testmini.json")
    for problem in json.loads(FIXTURE.read_text()).values() if images else ():
        path = folder / problem["image"]
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_bars(problem["metadata"]["bars"]).save(path)
    return make_mathvision_mirror(root, images)


def mathvision_problems() -> list[dict]:
    return [json.loads(line) for line in MATHVISION_FIXTURE.read_text().splitlines() if line.strip()]


def make_mathvision_mirror(root: Path, images: bool = True) -> Path:
    """``<root>/mathvision/testmini.jsonl`` and, unless told not to, each problem's bar
    chart at ``mathvision/images/<id>.jpg`` (the release's archives extracted)."""
    folder = root / "mathvision"
    folder.mkdir(parents=True)
    shutil.copy(MATHVISION_FIXTURE, folder / "testmini.jsonl")
    for problem in mathvision_problems() if images else ():
        path = folder / problem["image"]
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_bars(problem["bars"]).save(path)
    return root


# The dataset card of MathLLMs/MathVision: its features and its split files.
MATHVISION_HUB_FEATURES = {
    "id": "string", "question": "string", "options": ["string"], "image": "string", "decoded_image": "image",
    "answer": "string", "solution": "string", "level": "int64", "subject": "string",
}
MATHVISION_HUB_CARD = """---
configs:
  - config_name: default
    data_files:
      - split: test
        path: data/test-*
      - split: testmini
        path: data/testmini-*
---
"""


def make_mathvision_hub_copy(root: Path, image: Callable[[str], Image.Image]) -> Path:
    """A dataset folder laid out as the Hub repository MathLLMs/MathVision, holding the
    fixture problems: its card and parquet files with the Hub's features, each problem's
    ``decoded_image`` made by ``image(id)``."""
    import datasets

    def feature(kind):
        if isinstance(kind, list):
            return datasets.Sequence(feature(kind[0]))
        return datasets.Image() if kind == "image" else datasets.Value(kind)

    rows = [{**{k: problem[k] for k in MATHVISION_HUB_FEATURES if k != "decoded_image"},
             "decoded_image": image(problem["id"])} for problem in mathvision_problems()]
    features = datasets.Features({name: feature(kind) for name, kind in MATHVISION_HUB_FEATURES.items()})
    (root / "data").mkdir(parents=True)
    datasets.Dataset.from_list(rows, features=features).to_parquet(root / "data" / "testmini-00000-of-00001.parquet")
    datasets.Dataset.from_list(rows[:1], features=features).to_parquet(root / "data" / "test-00000-of-00001.parquet")
    (root / "README.md").write_text(MATHVISION_HUB_CARD)
    return root


def count_bars(image: Image.Image) -> int:
    """Red runs along the middle row (the image may have gone through JPEG)."""
    rgb = image.convert("RGB")
    y = rgb.height // 2
    red = [r > 150 and g < 110 and b < 110 for r, g, b in (rgb.getpixel((x, y)) for x in range(rgb.width))]
    return sum(1 for x, is_red in enumerate(red) if is_red and (x == 0 or not red[x - 1]))


def simplest_root(n: int) -> str:
    """sqrt(n) as a LaTeX exact value: 12 -> 2\\sqrt{3}."""
    outer = max(s for s in range(1, n + 1) if n % (s * s) == 0)
    inner = n // (outer * outer)
    return str(outer) if inner == 1 else f"{'' if outer == 1 else outer}\\sqrt{{{inner}}}"


def true_answer(prompt: str, bars: int) -> tuple[str, str]:
    """(what a correct response states, the kind of answer) for the question asked."""
    if "A stands for 1" in prompt:  # MathVision options that are pictures: A to E
        return chr(ord("A") + bars - 1), "letter"
    if "square root" in prompt:
        return simplest_root(bars), "root"
    if "Choices:" in prompt:
        letter = re.search(rf"^\(([A-Z])\) {bars}$", prompt, re.MULTILINE)
        return (letter.group(1) if letter else "?"), "letter"
    if "Python list" in prompt:
        return f"[{bars}, {2 * bars}]", "list"
    if "divided by 4" in prompt:
        return f"{bars / 4:.2f}", "number"
    return str(bars), "number"


CORRECT = {
    "number": ("Counting the red bars gives {a}. So the answer is $\\boxed{{{a}}}$.", "The answer is {a}.",
               "Final answer: {a}"),
    "list": ("So the list is \\boxed{{{a}}}.", "The answer is {a}.", "Answer: {a}"),
    "letter": ("The bars match option {a}. \\boxed{{{a}}}", "The answer is ({a}).", "{a}"),
    # the exact value, the same value unsimplified, a decimal of it
    "root": ("So the answer is $\\boxed{{{a}}}$.", "The answer is $\\sqrt{{{bars}}}$.", "Final answer: {approx:.2f}"),
}
WRONG = ("Hmm, the answer is \\boxed{{{w}}}.", "I cannot see the image clearly, so I cannot answer.",
         "The answer is {w2}.")


def respond(prompt: str, image: Image.Image, copy: int) -> str:
    rate = SOLVE_RATE.search(prompt)
    if rate is None:
        return "The answer is 0."
    bars = count_bars(image)
    answer, kind = true_answer(prompt, bars)
    if copy % 8 < int(rate.group(1)):
        return CORRECT[kind][copy % 3].format(a=answer, bars=bars, approx=bars ** 0.5)
    if kind == "letter":
        letters = re.findall(r"^\(([A-Z])\) ", prompt, re.MULTILINE) or list("ABCDE")
        at = letters.index(answer)
        wrong = (letters[(at + 1) % len(letters)], letters[(at + 2) % len(letters)])
    else:
        wrong = (str(bars + 1), str(bars + 2))
    return WRONG[copy % 3].format(w=wrong[0], w2=wrong[1])


@register_model("passk-scripted-vision")
class ScriptedVisionLM(ScriptedLM):
    MULTIMODAL = True

    @property
    def tokenizer_name(self) -> str:
        return "scripted-vision"

    def apply_chat_template(self, chat_history, add_generation_prompt=True) -> str:
        return "".join(f"<|{m['role']}|>{m['content']}\n" for m in chat_history) + "<|assistant|>"

    def copy_key(self, request) -> object:
        return (request.task_name, request.args[0])  # copies so far, per task and prompt

    def respond(self, request, copy: int) -> str:
        prompt, _, media = request.args
        images = media["visual"]
        if prompt.count("<image>") != 1 or len(images) != 1 or not isinstance(images[0], Image.Image):
            raise ValueError(f"expected one <image> and one PIL image, got {prompt!r} with {images!r}")
        return respond(prompt, images[0], copy)

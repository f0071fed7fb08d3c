"""A scripted stand-in for a vision-language model, and the images it can read.

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
from pathlib import Path

from lm_eval.api.registry import register_model
from PIL import Image, ImageDraw

from scripted_model import ScriptedLM

BAR_WIDTH, GAP, HEIGHT = 8, 8, 40
RED = (220, 20, 20)
SOLVE_RATE = re.compile(r"\[solve rate (\d)/8\]")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "vision" / "testmini.json"


def draw_bars(count: int) -> Image.Image:
    image = Image.new("RGB", (GAP + count * (BAR_WIDTH + GAP) + 16, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    for i in range(count):
        left = GAP + i * (BAR_WIDTH + GAP)
        draw.rectangle((left, 8, left + BAR_WIDTH - 1, HEIGHT - 8), fill=RED)
    return image


def make_mirror(root: Path, images: bool = True) -> Path:
    """A MathVista mirror of the fixture problems: ``<root>/mathvista/testmini.json`` and,
    unless told not to, each problem's bar chart where its ``image`` field says."""
    folder = root / "mathvista"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "testmini.json")
    for problem in json.loads(FIXTURE.read_text()).values() if images else ():
        path = folder / problem["image"]
        path.parent.mkdir(parents=True, exist_ok=True)
        draw_bars(problem["metadata"]["bars"]).save(path)
    return root


def count_bars(image: Image.Image) -> int:
    """Red runs along the middle row (the image may have gone through JPEG)."""
    rgb = image.convert("RGB")
    y = rgb.height // 2
    red = [r > 150 and g < 110 and b < 110 for r, g, b in (rgb.getpixel((x, y)) for x in range(rgb.width))]
    return sum(1 for x, is_red in enumerate(red) if is_red and (x == 0 or not red[x - 1]))


def true_answer(prompt: str, bars: int) -> tuple[str, str]:
    """(what a correct response states, the kind of answer) for the question asked."""
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
        return CORRECT[kind][copy % 3].format(a=answer)
    if kind == "letter":
        letters = re.findall(r"^\(([A-Z])\) ", prompt, re.MULTILINE)
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

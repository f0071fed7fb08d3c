"""MathVision (MATH-V) testmini with its images, as docs for the vision pass@k tasks.

From the Hub: ``MathLLMs/MathVision`` split ``testmini`` (images in its ``decoded_image``
column). Offline: a mirror folder (``LM_EVAL_PASSK_DATA_DIR`` or ``--metadata
'{"data_dir": ...}'``) holding ``mathvision/testmini.jsonl`` (the GitHub release's file)
and the images at ``mathvision/images/<id>.jpg`` (the ``image`` field's path), as the
release's image archives extract; images still packed in ``mathvision/*.tar.gz`` are read
from there.

Every doc is ``{"id", "question", "query", "image", "options", "answer", "subject",
"level"}``: ``options`` empty for a free-form problem, ``answer`` the gold (an option
letter for multiple choice), ``query`` the prompt with ``<image>`` where the question
shows its figure.
"""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from ..boxed import last_boxed
from ..settings import PassKConfigError
from ..sources import DATA_DIR_ENV, data_dir, read_jsonl

HUB_PATH = "MathLLMs/MathVision"
HUB_SPLIT = "testmini"
MIRROR_FOLDER = "mathvision"
MIRROR_FILE = "testmini.jsonl"
SUBSETS = ("free_form", "all")
"""``free_form``: the 114 testmini problems without options, the subset of arXiv
2504.13837; ``all``: all 304 (190 multiple choice)."""

IMAGE_PLACEHOLDER = "<image>"
_INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}."
_FIELDS = ("id", "question", "answer")
_CHOICE_HINT = "Answer with the option's letter from the given choices."


def place_image(question: str) -> str:
    """The question with ``<image>`` where it shows its (one, merged) figure: at its first
    ``<image1>``, else in front. Later tags (``<image2>``) name parts of that figure and
    stay as written, as in MATH-V's own prompts."""
    first = question.find("<image1>")
    if first < 0:
        return f"{IMAGE_PLACEHOLDER}\n{question}"
    return question[:first] + IMAGE_PLACEHOLDER + question[first + len("<image1>"):]


def build_query(problem: dict[str, Any]) -> str:
    """Question with its figure, lettered options, the boxed instruction (arXiv 2504.13837)."""
    lines = [place_image(problem["question"].strip())]
    options = problem.get("options") or []
    if options:
        letters = [chr(ord("A") + i) for i in range(len(options))]
        if options == letters:  # the options are pictures, labelled in the figure
            lines.append(f"Choices: {', '.join(letters)} (as labelled in the image).")
        else:
            lines.append("Choices:")
            lines += [f"({letter}) {option}" for letter, option in zip(letters, options)]
        lines.append(_CHOICE_HINT)
    lines.append(_INSTRUCTION)
    return "\n".join(lines)


def gold_answer(answer: Any) -> str:
    """The gold as it is meant: a ``\\f`` that JSON read as a form feed (``\\x0crac{36}{13}``)
    restored, a box around it (``$\\boxed{\\frac{16}{7}}$``) removed, spaces stripped."""
    text = str(answer).replace("\x0c", "\\f").strip()
    return (last_boxed(text) or text) if "\\boxed" in text else text


def to_doc(problem: dict[str, Any], image: Any) -> dict[str, Any]:
    return {
        "id": str(problem["id"]),
        "question": problem["question"],
        "query": build_query(problem),
        "image": image,
        "options": [str(o) for o in problem.get("options") or []],
        "answer": gold_answer(problem["answer"]),
        "subject": str(problem.get("subject") or ""),
        "level": int(problem.get("level") or 0),
    }


def _packed_images(folder: Path, wanted: set[str]) -> dict[str, dict[str, Any]]:
    """Images of ``wanted`` (paths like ``images/4.jpg``) from the release's tar.gz parts."""
    found: dict[str, dict[str, Any]] = {}
    for archive in sorted(folder.glob("*.tar.gz")):
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar:
                    name = member.name.removeprefix("./")
                    if member.isfile() and name in wanted and name not in found:
                        found[name] = {"bytes": tar.extractfile(member).read(), "path": name}
        except (tarfile.TarError, OSError, EOFError) as err:
            raise PassKConfigError(
                f"{archive} is not a readable tar.gz archive ({err}); extract or replace it") from None
    return found


def read_mirror(mirror: Path) -> list[dict[str, Any]]:
    """Problems of ``<mirror>/mathvision`` with their images; a clear error for what is missing."""
    folder = mirror / MIRROR_FOLDER
    path = folder / MIRROR_FILE
    if not path.is_file():
        raise PassKConfigError(
            f"the mirror {mirror} has no {MIRROR_FOLDER}/{MIRROR_FILE}; add it or unset {DATA_DIR_ENV}")
    problems = read_jsonl(path)
    for number, problem in enumerate(problems, 1):
        lacking = [f for f in _FIELDS if f not in problem]
        if lacking:
            raise PassKConfigError(
                f"{path}: problem {number} has no {', '.join(lacking)}; is this MATH-V's {MIRROR_FILE}?")
    relative = {str(p["id"]): str(p.get("image") or f"images/{p['id']}.jpg") for p in problems}
    images: dict[str, Any] = {pid: str(folder / rel) for pid, rel in relative.items() if (folder / rel).is_file()}
    missing = {rel for pid, rel in relative.items() if pid not in images}
    if missing:
        packed = _packed_images(folder, missing)
        images.update({pid: packed[rel] for pid, rel in relative.items() if rel in packed})
    absent = [pid for pid in relative if pid not in images]
    if absent:
        raise PassKConfigError(
            f"{len(absent)} of {len(problems)} MathVision images are missing under {folder} (first: id "
            f"{', '.join(absent[:3])}); put them at {MIRROR_FOLDER}/images/<id>.jpg (extract the release's "
            f"archives there: for f in {folder}/*.tar.gz; do tar -xzf $f -C {folder}; done) or unset "
            f"{DATA_DIR_ENV} to load from the Hub"
        )
    return [to_doc(p, images[str(p["id"])]) for p in problems]


def read_hub() -> list[dict[str, Any]]:
    import datasets

    rows = datasets.load_dataset(HUB_PATH, split=HUB_SPLIT)
    return [to_doc(row, row["decoded_image"]) for row in rows]


def load_mathvision(subset: str = "free_form", **metadata: Any):
    """``custom_dataset`` of the MathVision tasks: a DatasetDict with one ``test`` split
    whose ``image`` column decodes to PIL images."""
    import datasets

    if subset not in SUBSETS:
        raise PassKConfigError(f"unknown MathVision subset {subset!r}; choose one of {', '.join(SUBSETS)}")
    mirror = data_dir(metadata)
    docs = read_hub() if mirror is None else read_mirror(mirror)
    if subset == "free_form":
        docs = [d for d in docs if not d["options"]]
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "question": datasets.Value("string"),
            "query": datasets.Value("string"),
            "image": datasets.Image(),
            "options": datasets.Sequence(datasets.Value("string")),
            "answer": datasets.Value("string"),
            "subject": datasets.Value("string"),
            "level": datasets.Value("int64"),
        }
    )
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs, features=features)})

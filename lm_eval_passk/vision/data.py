"""MathVista testmini with its images, as docs for the vision pass@k tasks.

From the Hub: ``AI4Math/MathVista`` split ``testmini`` (images in its ``decoded_image``
column). Offline: a mirror folder (``LM_EVAL_PASSK_DATA_DIR`` or ``--metadata
'{"data_dir": ...}'``) holding ``mathvista/testmini.json`` (the repository's metadata
file, pid -> problem) and the images at ``mathvista/<image field>`` (``images/1.jpg``)
or ``mathvista/images/<pid>.jpg``.

Every doc is ``{"id", "question", "query", "image", "choices", "answer",
"question_type", "answer_type", "precision", "unit"}`` with ``image`` a PIL image (a
``datasets.Image`` column) and ``query`` the prompt text after the image.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..sources import DATA_DIR_ENV, data_dir
from ..settings import PassKConfigError

HUB_PATH = "AI4Math/MathVista"
HUB_SPLIT = "testmini"
MIRROR_FOLDER = "mathvista"
SUBSETS = ("free_form", "all")
"""``free_form``: the problems that are not multiple choice (460 of testmini: 418 integer,
40 float, 2 list answers), the subset of arXiv 2504.13837; ``all``: all 1,000."""

_HINTS = {
    "text": "Answer with the option's letter from the given choices.",
    "integer": "The answer is an integer.",
    "list": "The answer is a Python list, e.g. [1, 2, 3].",
}
_FLOAT_HINT = "The answer is a floating-point number with {} decimal place{}."
_INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}."


def build_query(problem: dict[str, Any]) -> str:
    """Question (with its unit), lettered choices, the answer format, the boxed instruction."""
    question = problem["question"].strip()
    if problem.get("unit"):
        question += f" (Unit: {problem['unit']})"
    lines = [question]
    if problem.get("choices"):
        lines.append("Choices:")
        lines += [f"({chr(ord('A') + i)}) {choice}" for i, choice in enumerate(problem["choices"])]
    if problem["answer_type"] == "float":
        places = int(problem["precision"])
        lines.append(_FLOAT_HINT.format("one" if places == 1 else places, "" if places == 1 else "s"))
    else:
        lines.append(_HINTS[problem["answer_type"]])
    lines.append(_INSTRUCTION)
    return "\n".join(lines)


def to_doc(problem: dict[str, Any], image: Any) -> dict[str, Any]:
    precision = problem.get("precision")
    return {
        "id": str(problem["pid"]),
        "question": problem["question"],
        "query": build_query(problem),
        "image": image,
        "choices": list(problem.get("choices") or []),
        "answer": str(problem["answer"]),
        "question_type": problem["question_type"],
        "answer_type": problem["answer_type"],
        "precision": None if precision is None else int(precision),
        "unit": problem.get("unit") or "",
    }


def image_path(folder: Path, problem: dict[str, Any]) -> Path | None:
    """Where the mirror keeps a problem's image: as its ``image`` field says, else by pid."""
    for candidate in (folder / str(problem.get("image") or ""), folder / "images" / f"{problem['pid']}.jpg"):
        if candidate.is_file():
            return candidate
    return None


def read_mirror(mirror: Path) -> list[dict[str, Any]]:
    """Problems of ``<mirror>/mathvista`` with their image paths; a clear error for what is missing."""
    folder = mirror / MIRROR_FOLDER
    metadata = folder / "testmini.json"
    if not metadata.is_file():
        raise PassKConfigError(f"the mirror {mirror} has no {MIRROR_FOLDER}/testmini.json; add it or unset {DATA_DIR_ENV}")
    try:
        problems = json.loads(metadata.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise PassKConfigError(f"{metadata} is not valid JSON ({err.msg})") from None
    problems = list(problems.values()) if isinstance(problems, dict) else problems
    located = [(p, image_path(folder, p)) for p in problems]
    missing = [str(p["pid"]) for p, path in located if path is None]
    if missing:
        raise PassKConfigError(
            f"{len(missing)} of {len(problems)} MathVista images are missing under {folder} "
            f"(first: pid {', '.join(missing[:3])}); put them at {MIRROR_FOLDER}/images/<pid>.jpg "
            "(the metadata-only copy has none: export them from the Hub dataset AI4Math/MathVista, "
            f"column decoded_image) or unset {DATA_DIR_ENV} to load from the Hub"
        )
    return [to_doc(p, str(path)) for p, path in located]


def read_hub() -> list[dict[str, Any]]:
    import datasets

    rows = datasets.load_dataset(HUB_PATH, split=HUB_SPLIT)
    return [to_doc(row, row["decoded_image"]) for row in rows]


def load_mathvista(subset: str = "free_form", **metadata: Any):
    """``custom_dataset`` of the MathVista tasks: a DatasetDict with one ``test`` split
    whose ``image`` column decodes to PIL images."""
    import datasets

    if subset not in SUBSETS:
        raise PassKConfigError(f"unknown MathVista subset {subset!r}; choose one of {', '.join(SUBSETS)}")
    mirror = data_dir(metadata)
    docs = read_hub() if mirror is None else read_mirror(mirror)
    if subset == "free_form":
        docs = [d for d in docs if d["question_type"] == "free_form"]
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "question": datasets.Value("string"),
            "query": datasets.Value("string"),
            "image": datasets.Image(),
            "choices": datasets.Sequence(datasets.Value("string")),
            "answer": datasets.Value("string"),
            "question_type": datasets.Value("string"),
            "answer_type": datasets.Value("string"),
            "precision": datasets.Value("int64"),
            "unit": datasets.Value("string"),
        }
    )
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs, features=features)})

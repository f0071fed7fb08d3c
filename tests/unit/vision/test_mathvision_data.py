"""MathVision loading from a local mirror (images extracted, or still in the release's
tar.gz parts) and from the Hub dataset's layout; the prompt; one clear error for what is
missing."""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path

import pytest
from PIL import Image

from lm_eval_passk.settings import PassKConfigError
from lm_eval_passk.sources import DATA_DIR_ENV
from lm_eval_passk.vision import mathvision_data
from lm_eval_passk.vision.mathvision_data import build_query, gold_answer, load_mathvision
from scripted_vision_model import make_mathvision_hub_copy

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "vision" / "mathvision_testmini.jsonl"
PROBLEMS = [json.loads(line) for line in FIXTURE.read_text().splitlines()]
FREE_FORM = ["4", "7", "10", "20"]  # the fixture's problems without options
INSTRUCTION = "Please reason step by step, and put your final answer within \\boxed{}."


def id_image(pid: str) -> Image.Image:
    """An image whose width encodes the problem id, to check pairing."""
    return Image.new("RGB", (int(pid) + 1, 2), "white")


def make_mirror(root: Path, images: str = "extracted") -> Path:
    """``<root>/mathvision/testmini.jsonl`` and the images: at ``images/<id>.jpg``
    (``extracted``), packed into two tar.gz parts as the release ships them (``packed``),
    or none."""
    folder = root / "mathvision"
    (folder / "images").mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "testmini.jsonl")
    for problem in PROBLEMS if images != "none" else ():
        id_image(problem["id"]).save(folder / problem["image"])
    if images == "packed":
        for part, chunk in enumerate((PROBLEMS[:3], PROBLEMS[3:]), 1):
            with tarfile.open(folder / f"testmini_images_part{part}.tar.gz", "w:gz") as tar:
                for problem in chunk:
                    tar.add(folder / problem["image"], arcname=problem["image"])
        shutil.rmtree(folder / "images")
    return root


@pytest.mark.parametrize("images", ["extracted", "packed"])
def test_mirror_docs_carry_their_own_image(tmp_path, images):
    docs = load_mathvision("all", data_dir=str(make_mirror(tmp_path, images)))["test"]
    assert docs["id"] == [p["id"] for p in PROBLEMS]
    for doc, problem in zip(docs, PROBLEMS):
        assert isinstance(doc["image"], Image.Image) and doc["image"].size == (int(doc["id"]) + 1, 2)
        assert doc["options"] == problem["options"]
        assert (doc["subject"], doc["level"]) == (problem["subject"], problem["level"])


def test_free_form_subset_drops_multiple_choice(tmp_path):
    docs = load_mathvision("free_form", data_dir=str(make_mirror(tmp_path)))["test"]
    assert docs["id"] == FREE_FORM
    assert docs["answer"] == ["3", "$2\\sqrt{3}$", "\\frac{3}{4}", "5"]  # id 10's "\f" restored


@pytest.mark.parametrize(
    ("raw", "gold"),
    [
        ("\x0crac{36}{13}", "\\frac{36}{13}"),  # MATH-V test 2830: "\f" read by JSON as a form feed
        ("$\\boxed{\\frac{16}{7}}$", "\\frac{16}{7}"),  # MATH-V test 2828
        ("11 ", "11"),
        ("$4 \\pi$", "$4 \\pi$"),
    ],
)
def test_gold_answer(raw, gold):
    assert gold_answer(raw) == gold


def test_query_puts_the_image_where_the_question_shows_it():
    free_form, two_tags, untagged = PROBLEMS[1], PROBLEMS[3], PROBLEMS[5]
    assert build_query(free_form) == (
        "<image>\nWhat is the square root of the number of red bars? Give the exact value. [solve rate 3/8]\n"
        + INSTRUCTION)
    # <image2> names a part of the one merged figure and stays, as in MATH-V's own prompts
    assert build_query(two_tags) == (
        "How many red bars does the figure show? [solve rate 4/8]\n<image>\n<image2>\n"
        "Choices:\n(A) 2\n(B) 6\n(C) 7\n(D) 9\n(E) 10\n"
        "Answer with the option's letter from the given choices.\n" + INSTRUCTION)
    assert build_query(untagged) == "<image>\nCount the red bars. [solve rate 0/8]\n" + INSTRUCTION
    pictures = build_query(PROBLEMS[4])
    assert "Choices: A, B, C, D, E (as labelled in the image)." in pictures and "(A) A" not in pictures


def test_hub_layout_docs_carry_their_decoded_image(tmp_path, monkeypatch):
    """The Hub path (no mirror): ``load_dataset`` on the Hub's files, images from ``decoded_image``."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")  # not the user's cache
    monkeypatch.setattr(mathvision_data, "HUB_PATH", str(make_mathvision_hub_copy(tmp_path / "hub", id_image)))
    docs = load_mathvision("free_form")["test"]
    assert docs["id"] == FREE_FORM
    for doc in docs:
        problem = next(p for p in PROBLEMS if p["id"] == doc["id"])
        assert isinstance(doc["image"], Image.Image) and doc["image"].size == (int(doc["id"]) + 1, 2)
        assert doc["query"] == build_query(problem) and doc["answer"] == gold_answer(problem["answer"])
    assert load_mathvision("all")["test"]["options"][3] == ["2", "6", "7", "9", "10"]
    assert any((tmp_path / "cache").iterdir())


def test_missing_images_are_one_clear_error(tmp_path):
    with pytest.raises(PassKConfigError, match=r"6 of 6 MathVision images are missing .*first: id 4, 7, 10\).*tar -xzf"):
        load_mathvision("free_form", data_dir=str(make_mirror(tmp_path, images="none")))


def test_missing_file_and_fields_are_named(tmp_path):
    with pytest.raises(PassKConfigError, match="has no mathvision/testmini.jsonl"):
        load_mathvision("free_form", data_dir=str(tmp_path))
    (tmp_path / "mathvision" / "testmini.jsonl").parent.mkdir()
    (tmp_path / "mathvision" / "testmini.jsonl").write_text('{"id": "1", "question": "?"}\n')
    with pytest.raises(PassKConfigError, match="problem 1 has no answer"):
        load_mathvision("free_form", data_dir=str(tmp_path))


def test_unknown_subset():
    with pytest.raises(PassKConfigError, match="unknown MathVision subset 'mc'"):
        load_mathvision("mc")


def real_mirror(tmp_path: Path, shared: Path, extract: bool) -> Path:
    """The shared copy's testmini.jsonl with its images: the tar.gz parts extracted into
    ``mathvision/`` (``extract``), or the parts as they are."""
    folder = tmp_path / "mathvision"
    folder.mkdir()
    (folder / "testmini.jsonl").symlink_to(shared / "testmini.jsonl")
    for part in sorted(shared.glob("testmini_images_part*.tar.gz")):
        if extract:
            with tarfile.open(part) as tar:
                tar.extractall(folder, filter="data")
        else:
            (folder / part.name).symlink_to(part)
    return tmp_path


@pytest.mark.parametrize("extract", [True, False])
def test_real_testmini(tmp_path, shared_data, extract):
    """The paper's 114: testmini problems without options, each with its own image."""
    shared = shared_data / "mathvision"
    problems = [json.loads(line) for line in (shared / "testmini.jsonl").read_text().splitlines()]
    free_form = [p["id"] for p in problems if not p["options"]]
    assert (len(problems), len(free_form)) == (304, 114)
    mirror = real_mirror(tmp_path, shared, extract)
    docs = load_mathvision("free_form", data_dir=str(mirror))["test"]
    assert docs["id"] == free_form
    assert all(d["query"].count("<image>") == 1 and "<image1>" not in d["query"] for d in docs)
    every = load_mathvision("all", data_dir=str(mirror))["test"]
    assert len(every) == 304 and sum(bool(o) for o in every["options"]) == 190
    first = every[0]["image"]  # the release's images/4.jpg
    assert isinstance(first, Image.Image) and first.size == Image.open(
        tarfile.open(sorted(shared.glob("*.tar.gz"))[0]).extractfile("images/4.jpg")).size

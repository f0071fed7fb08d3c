"""MathVista loading from a local mirror and from the Hub dataset's layout: images as PIL
images, the free-form subset, and one clear error when images are missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from lm_eval_passk.settings import PassKConfigError
from lm_eval_passk.sources import DATA_DIR_ENV
from lm_eval_passk.vision import data as vision_data
from lm_eval_passk.vision.data import build_query, load_mathvista

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "vision" / "testmini.json"


def make_mirror(root: Path, metadata: Path, images: bool = True) -> Path:
    """``<root>/mathvista/testmini.json`` and, unless told not to, a small image per problem
    where the metadata's ``image`` field says (its width encodes the pid, to check pairing)."""
    folder = root / "mathvista"
    folder.mkdir(parents=True)
    shutil.copy(metadata, folder / "testmini.json")
    if images:
        for problem in json.loads(metadata.read_text()).values():
            path = folder / problem["image"]
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (int(problem["pid"]) + 1, 2), "white").save(path)
    return root


def test_mirror_docs_carry_their_own_image(tmp_path):
    mirror = make_mirror(tmp_path, FIXTURE)
    docs = load_mathvista("all", data_dir=str(mirror))["test"]
    problems = json.loads(FIXTURE.read_text())
    assert [d["id"] for d in docs] == list(problems)
    for doc in docs:
        assert isinstance(doc["image"], Image.Image)
        assert doc["image"].size == (int(doc["id"]) + 1, 2)
        assert doc["answer"] == problems[doc["id"]]["answer"]
        assert doc["choices"] == (problems[doc["id"]]["choices"] or [])


def test_image_found_by_pid_when_the_field_points_elsewhere(tmp_path):
    mirror = make_mirror(tmp_path, FIXTURE)
    folder = mirror / "mathvista"
    (folder / "figures" / "five.png").rename(folder / "images" / "5.jpg")
    docs = load_mathvista("all", data_dir=str(mirror))["test"]
    assert docs[4]["id"] == "5" and docs[4]["image"].size == (6, 2)


def test_free_form_subset_drops_multiple_choice(tmp_path):
    mirror = make_mirror(tmp_path, FIXTURE)
    docs = load_mathvista("free_form", data_dir=str(mirror))["test"]
    assert [d["id"] for d in docs] == ["1", "2", "3", "4"]  # 5 and 6 are multiple choice


# The dataset card of AI4Math/MathVista: its features and its split files.
HUB_FEATURES = {
    "pid": "string", "question": "string", "image": "string", "decoded_image": "image", "choices": ["string"],
    "unit": "string", "precision": "float64", "answer": "string", "question_type": "string",
    "answer_type": "string", "metadata": {"source": "string"}, "query": "string",
}
HUB_CARD = """---
configs:
  - config_name: default
    data_files:
      - split: testmini
        path: data/testmini-*
      - split: test
        path: data/test-*
---
"""


def make_hub_copy(root: Path, metadata: Path) -> Path:
    """A dataset folder laid out as the Hub repository: its card and parquet files with the
    Hub's features, the images stored in ``decoded_image`` (widths encode the pids)."""
    import datasets

    def feature(kind):
        if isinstance(kind, list):
            return datasets.Sequence(feature(kind[0]))
        if isinstance(kind, dict):
            return {name: feature(k) for name, k in kind.items()}
        return datasets.Image() if kind == "image" else datasets.Value(kind)

    rows = [
        {**problem, "decoded_image": Image.new("RGB", (int(problem["pid"]) + 1, 2), "white"),
         "precision": None if problem["precision"] is None else float(problem["precision"]),
         "metadata": {"source": "fixture"}, "query": problem["question"]}
        for problem in json.loads(metadata.read_text()).values()
    ]
    features = datasets.Features({name: feature(kind) for name, kind in HUB_FEATURES.items()})
    (root / "data").mkdir(parents=True)
    datasets.Dataset.from_list(rows, features=features).to_parquet(root / "data" / "testmini-00000-of-00001.parquet")
    datasets.Dataset.from_list(rows[:1], features=features).to_parquet(root / "data" / "test-00000-of-00001.parquet")
    (root / "README.md").write_text(HUB_CARD)
    return root


def test_hub_layout_docs_carry_their_decoded_image(tmp_path, monkeypatch):
    """The Hub path (no mirror): ``load_dataset`` on the Hub's files, images from ``decoded_image``."""
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    import datasets

    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")  # not the user's cache
    monkeypatch.setattr(vision_data, "HUB_PATH", str(make_hub_copy(tmp_path / "hub", FIXTURE)))
    docs = load_mathvista("free_form")["test"]
    problems = json.loads(FIXTURE.read_text())
    assert [d["id"] for d in docs] == ["1", "2", "3", "4"]
    for doc in docs:
        problem = problems[doc["id"]]
        assert isinstance(doc["image"], Image.Image) and doc["image"].size == (int(doc["id"]) + 1, 2)
        assert (doc["answer"], doc["precision"], doc["choices"]) == (problem["answer"], problem["precision"], [])
        assert doc["query"] == build_query(problem)
    assert [d["choices"] for d in load_mathvista("all")["test"]][4:] == [["2", "6", "7", "9"], ["1", "2", "3"]]
    assert any((tmp_path / "cache").iterdir())


def test_missing_images_are_one_clear_error(tmp_path):
    mirror = make_mirror(tmp_path, FIXTURE, images=False)
    with pytest.raises(PassKConfigError, match=r"6 of 6 MathVista images are missing .*first: pid 1, 2, 3.*images/<pid>.jpg"):
        load_mathvista("free_form", data_dir=str(mirror))


def test_missing_metadata_names_the_file(tmp_path):
    with pytest.raises(PassKConfigError, match="has no mathvista/testmini.json"):
        load_mathvista("free_form", data_dir=str(tmp_path))


def test_unknown_subset():
    with pytest.raises(PassKConfigError, match="unknown MathVista subset 'mc'"):
        load_mathvista("mc")


def test_real_testmini_free_form_count(tmp_path, shared_data):
    """The paper's 460: testmini problems whose question_type is free_form."""
    metadata = shared_data / "mathvista" / "testmini.json"
    problems = json.loads(metadata.read_text())
    expected = [pid for pid, p in problems.items() if p["question_type"] == "free_form"]
    assert len(expected) == 460
    mirror = make_mirror(tmp_path, metadata, images=False)
    image = mirror / "mathvista" / "one.jpg"
    Image.new("RGB", (1, 1)).save(image)
    (mirror / "mathvista" / "images").mkdir()
    for pid in problems:
        (mirror / "mathvista" / "images" / f"{pid}.jpg").symlink_to(image)
    docs = load_mathvista("free_form", data_dir=str(mirror))["test"]
    assert docs["id"] == expected
    assert {d["answer_type"] for d in docs} == {"integer", "float", "list"}


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        ({"question": "What is the total volume?", "unit": "g", "choices": None, "answer_type": "integer",
          "precision": None},
         "What is the total volume? (Unit: g)\nThe answer is an integer."),
        ({"question": "Find d.", "unit": None, "choices": None, "answer_type": "float", "precision": 2},
         "Find d.\nThe answer is a floating-point number with 2 decimal places."),
        ({"question": "Which is larger?", "unit": None, "choices": ["x", "y"], "answer_type": "text", "precision": None},
         "Which is larger?\nChoices:\n(A) x\n(B) y\nAnswer with the option's letter from the given choices."),
    ],
)
def test_query(problem, expected):
    assert build_query(problem) == expected + "\nPlease reason step by step, and put your final answer within \\boxed{}."

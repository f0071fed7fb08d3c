import pytest

from lm_eval_passk.settings import PassKConfigError, PassKSettings


def test_defaults_to_powers_of_two_up_to_n():
    s = PassKSettings.from_metadata("t", {"n": 128})
    assert s.ks == (1, 2, 4, 8, 16, 32, 64, 128)
    assert s.grader == "math_verify"


def test_k_list_is_sorted_and_deduplicated():
    assert PassKSettings.from_metadata("t", {"n": 16, "k": [16, 1, 4, 4]}).ks == (1, 4, 16)
    assert PassKSettings.from_metadata("t", {"n": 16, "k": 8}).ks == (8,)


def test_unknown_keys_are_ignored():  # simple_evaluate merges model_args into metadata
    assert PassKSettings.from_metadata("t", {"n": 4, "pretrained": "gpt2"}).n == 4


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({}, "n must be a positive integer"),
        ({"n": 0}, "n must be a positive integer"),
        ({"n": True}, "n must be a positive integer"),
        ({"n": "16"}, "n must be a positive integer"),
        ({"n": 16, "k": [1, 32]}, "pass@32 needs at least 32 samples per problem but n=16"),
        ({"n": 16, "k": []}, "k must be a list of positive integers"),
        ({"n": 16, "k": [0, 2]}, "k must be a list of positive integers"),
        ({"n": 16, "k": "1,2"}, "k must be a list of positive integers"),
        ({"n": 16, "grading_timeout": -1}, "grading_timeout must be a positive number"),
    ],
)
def test_bad_metadata_says_what_to_change(metadata, message):
    with pytest.raises(PassKConfigError, match=message) as err:
        PassKSettings.from_metadata("passk_x", metadata)
    assert str(err.value).startswith("passk_x: ")

"""The scoring hook keeps the responses when grading itself breaks."""

from types import SimpleNamespace

from lm_eval_passk.harness import _ScoreFilter


class BrokenGraderTask:
    config = SimpleNamespace(task="passk_fixture")

    def score(self, responses, docs):
        raise RuntimeError("grader worker failed to start")


def test_grading_failure_scores_zero_and_keeps_going(caplog):
    records = _ScoreFilter(BrokenGraderTask()).apply([("a", "b"), ("c",)], [{}, {}])
    assert records == [[{"answer": None, "correct": False, "grading_failed": True}] * 2,
                       [{"answer": None, "correct": False, "grading_failed": True}]]
    assert "lm-eval-passk rescore" in caplog.text

"""MathVista free-form answers: which number (or list) a response answers with.

The number comes from the last answer statement, else from a highlighted number, else
from the sentence that answers (the last one with a number, or an opening sentence that
restates the question). Inside that sentence: after its last "=", before a clause that
elaborates, preferring a number the question does not give.
"""

from __future__ import annotations

import re

from .paraphrase import restates_question
from .problem import VisionProblem
from .text import REFUSAL, SENTENCE_END, clean, final_statement, number_text, numbers_in

_ELABORATION = re.compile(r",?\s(?:with|which|where|since|because|while|whereas)\b|,\s(?:as|respectively)\b|:\s")
_ENDS_IN_NUMBER = re.compile(r"\d\S*(?:\s+[^\s\d]+){0,3}$")  # "13", "13 years", "10-year age gap"
_NUMBERED_NAME = re.compile(r"\b[A-Z][a-z]+\s+\d+$")  # "is Bar 1 with a value of 10": a name
# "between 2000 and 2005" answers with an interval, not a number
_INTERVAL = re.compile(r"\b(?:between|from)\s+[^\s\d]*\d\S*\s+(?:and|to)\s+[^\s\d]*\d\S*\s*$")
_NUMBER_LIST = re.compile(r"[-−]?\d+(?:\.\d+)?(?:\s*,\s+[-−]?\d+(?:\.\d+)?)+\.?")
_OUT_OF = re.compile(r"\s+out of\s+[\d,.]+")
_CONCLUSION = re.compile(r"\W*(?:therefore|thus|so|hence|in conclusion)\b", re.IGNORECASE)
_ASKS_YEAR = re.compile(r"\b(?:which|what|in which) year\b", re.IGNORECASE)
_RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_ASKS_FRACTION = re.compile(r"\b(?:fraction|proportion)\b(?!.*\b(?:percent|percentage)\b)", re.IGNORECASE)
_BOLD_NUMBER = re.compile(r"\*\*\s*([-−]?\d[\d,]*(?:\.\d+)?)\s*\*\*")


def extract_free_form(response: str, problem: VisionProblem) -> str | None:
    """The normalised number (or list) a free-form response answers, or ``None``."""
    statement = final_statement(response)
    if problem.answer_type == "list":
        source = statement if statement and "[" in statement else response
        lists = re.findall(r"\[([^\[\]]*)\]", source)
        return "[" + ", ".join(number_text(v) for v in numbers_in(lists[-1])) + "]" if lists else None
    if statement is not None:  # "9, 3" answers a one-number question with two
        value = None if _NUMBER_LIST.fullmatch(clean(statement)) else answer_number(statement, problem.question)
    elif REFUSAL.search(response):
        value = None
    elif _BOLD_NUMBER.search(response):
        value = numbers_in(_highlighted(response))[0]
    else:
        sentences = [s for s in SENTENCE_END.split(_prose(response)) if numbers_in(s, words=True)]
        value = answer_number(_answer_sentence(sentences, problem.question), problem.question) if sentences else None
    return None if value is None else number_text(value)


def _highlighted(response: str) -> str:
    """The number a response highlights as its answer: the first bold one ("is **70**. ...
    from **20** to **60**"), unless a concluding sentence highlights another ("The value
    of x is **1**. ... Therefore, the value of x is **30**.")."""
    concluding = [s for s in SENTENCE_END.split(response) if _CONCLUSION.match(s) and _BOLD_NUMBER.search(s)]
    return _BOLD_NUMBER.findall(concluding[-1])[-1] if concluding else _BOLD_NUMBER.search(response).group(1)


def answer_number(sentence: str, question: str) -> float | None:
    """The number a sentence answers with: in its answer clause (after its last "=", before
    a clause that elaborates), the last number the question does not mention (else the
    last one); ``None`` for an interval ("between 2000 and 2005")."""
    answer = sentence
    if re.search(r"\bratio\b", question, re.IGNORECASE):  # "is 3:1" answers a ratio with 3
        answer = _RATIO.sub(lambda m: repr(float(m[1]) / float(m[2])) if float(m[2]) else m[0], answer)
    if _ASKS_FRACTION.search(question):  # "or 75%" answers a fraction with 0.75
        answer = _PERCENT.sub(lambda m: repr(float(m[1]) / 100), answer)
    # "is 13 years, with the younger being 13 and the older 26": a clause right after a
    # number elaborates ("the bars with values below 6 are 0" does not)
    cuts = [m.start() for m in _ELABORATION.finditer(answer)
            if _ENDS_IN_NUMBER.search(answer[: m.start()]) and not _NUMBERED_NAME.search(answer[: m.start()])]
    head = re.split(r"=|≈", answer[: cuts[0]] if cuts else answer)[-1]
    head = _OUT_OF.sub("", head)  # "1 out of 10 times": 1
    answer = re.split(r"=|≈", answer)[-1]
    values = numbers_in(head, words=True) or numbers_in(answer, words=True)
    if not values or _INTERVAL.search(head):
        return None
    given = set(numbers_in(question, words=True))
    fresh = [v for v in values if v not in given]
    if _ASKS_YEAR.search(question):  # "in 2016, with 94% of schools": the year
        fresh = [v for v in fresh if v.is_integer() and 1000 <= v <= 2100] or fresh
    return fresh[-1] if fresh else values[-1]


def _answer_sentence(sentences: list[str], question: str) -> str:
    """The sentence (of those with numbers) that answers: the last, unless the first
    restates the question with a number of its own and the rest neither restates nor
    concludes ("There are 3 methods with a score above 20. The score averages 847 ...")."""
    first, last = sentences[0], sentences[-1]
    given = set(numbers_in(question, words=True))
    opens = restates_question(first, question) and set(numbers_in(first, words=True)) - given
    if len(sentences) > 1 and opens and not restates_question(last, question) and not _CONCLUSION.match(last):
        return first
    return last


def _prose(response: str) -> str:
    """The response without code blocks and table rows: data it shows, not its answer."""
    response = re.sub(r"```.*?(?:```|$)", "\n", response, flags=re.DOTALL)
    return "\n".join(line for line in response.splitlines() if "|" not in line)

"""MathVista answers: the final answer of a response, normalised to the problem's type,
and whether it is the gold answer. Pure and deterministic: no LLM judge, stdlib only.

What counts as the final answer, in order: the last ``\\boxed{}``; the last answer
statement ("the answer is ...", "Answer: ...", "correct option is ...", "答案是 ...");
for a multiple-choice problem an option letter or choice text anywhere in the response;
otherwise (free-form) the last number of the response. The normalised prediction is a
choice text, a canonical number, or a list of numbers, so equal answers written
differently ("C", "(C) 145°", "145") become one string for majority voting.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..extract import last_boxed
from .vision_paraphrase import choice_inflected, choice_restated, yes_no_led, yes_no_restated

MULTI_CHOICE = "multi_choice"


@dataclass(frozen=True)
class VisionProblem:
    answer: str
    """Gold answer as MathVista writes it (for multiple choice, one of ``choices``)."""
    question_type: str
    """``multi_choice`` or ``free_form``."""
    answer_type: str
    """``text`` (multiple choice), ``integer``, ``float`` or ``list``."""
    choices: tuple[str, ...] = ()
    """Choice texts in option order: (A) is ``choices[0]``."""
    precision: int | None = None
    """Decimal places a float answer is compared at."""
    question: str = ""
    """Question text: a number it mentions is less likely the answer of a bare restatement."""

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> VisionProblem:
        precision = doc.get("precision")
        return cls(
            answer=str(doc["answer"]),
            question_type=str(doc["question_type"]),
            answer_type=str(doc["answer_type"]),
            choices=tuple(str(c) for c in doc.get("choices") or ()),
            precision=None if precision is None else int(precision),
            question=str(doc.get("question") or ""),
        )

    @property
    def letters(self) -> str:
        return "".join(chr(ord("A") + i) for i in range(len(self.choices)))


@dataclass(frozen=True)
class VisionGrade:
    answer: str | None
    """Normalised prediction (choice text, number, list); ``None`` when there is none."""
    correct: bool


# "the answer is", "Answer:", "the correct option is", "答案是" ... up to the end of the line.
_STATEMENT = re.compile(
    r"(?:\b(?:final value|solution)\s+(?:is|would be)|\b(?:final answer|answer|(?<!each )(?:correct )?(?:option|choice)(?: letter)?)"
    r"(?:\s*(?:is|would be|will be|should be|[:：])"
    # "the option letter for 2003 is C" (not "the option letter for (C) C is (C)")
    r"|\s+(?:that|which|for|with)\b(?:(?!\([A-Z]\))[^.\n]){0,80}?\s(?:is|would be)\b)"
    r"|答案(?:是|为|應為|应为)?\s*[:：]?|故选|所以选|因此选|选择?项?为?)"
    r"\s*[:：]?\s*(?P<rest>[^\n]*)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e-?\d+|\s*/\s*\d+(?:\.\d+)?)?|[-−]?\.\d+")
_FRAC = re.compile(r"\\[dt]?frac\{([^{}]+)\}\{([^{}]+)\}")
_SQRT = re.compile(r"(?:√|\\sqrt)\s*\{([^{}]+)\}|\\sqrt\s*(\d+)")  # √{3}, \sqrt 2 -> √3, √2
_SLASH = re.compile(r"\s*/\s*")
_TEXT_COMMAND = re.compile(r"\\text\{([^{}]*)\}|\\mathrm\{([^{}]*)\}")
_DEGREE = re.compile(r"\*?\\degree")
# "(C)" anywhere; "C)" only opening a line ("at point C)" closes a parenthesis)
_LETTER_IN_PARENS = re.compile(r"\(([A-Z])\)|^[ \t]*([A-Z])\)", re.MULTILINE)
_LONE_LETTER = re.compile(r"^\(?[A-Z][).:]?$")
_LEADING_LETTER = re.compile(r"^\(?([A-Z])(?:\)|\.|:|,|\s|$)")
_LETTER_CUE = re.compile(
    r"(?:\b(?i:option|choice|answer)\s*\(?([A-Z])\)?(?![A-Za-z])|选项?\s*\(?([A-Z])\)?|[是为选]\s*\(?([A-Z])\)?(?![A-Za-z]))"
)
_CONDITIONAL = re.compile(r"\b(?:if|otherwise)\b", re.IGNORECASE)  # "If ..., the answer is (A)."
_ELABORATION = re.compile(r",?\s(?:with|which|where|since|because|while|whereas)\b|,\s(?:as|respectively)\b|:\s")
_ENDS_IN_NUMBER = re.compile(r"\d\S*(?:\s+[^\s\d]+){0,3}$")  # "13", "13 years", "10-year age gap"
_ASKS_YEAR = re.compile(r"\b(?:which|what|in which) year\b", re.IGNORECASE)
_RATIO = re.compile(r"(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_ASKS_FRACTION = re.compile(r"\b(?:fraction|proportion)\b(?!.*\b(?:percent|percentage)\b)", re.IGNORECASE)
_NEXT_SENTENCE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z])")  # "is 2. In 2008, ..." ends at "2."
_OPENING_LETTER = re.compile(r"\(?([A-Z])[).]\s")  # "C. grasshopper ..." ("A: No" is a transcript)
_LETTER_FIRST = re.compile(
    r"(?<![\w(])\(?([A-Z])\)? is the (?:correct |right |best )?(?:answer|option|choice)\b"
    r"|^\(?([A-HJ-Z])\)? (?:is|would|will)\b(?! not)")  # "A would be most affected" ("I would" is no option)
_QUOTED = re.compile(r"[\"“]([^\"”\n]+)[\"”]")
_INVENTED_QUESTION = re.compile(r"\n\s*Question\s*[:：]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
_FIRST_WORD = re.compile(r"\W*(\w+)")
_WORDY = 4  # shortest choice text looked for inside a long response
_SHORT = 60  # a response this short is all answer: "(B) No", "145°", "yes"
_BOLD_NUMBER = re.compile(r"\*\*\s*([-−]?\d[\d,]*(?:\.\d+)?)\s*\*\*")
_OPTION_LETTERS = "ABCDEFGH"  # "(f: R to R)" names no option
_PLAIN_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?\s*[^\d\s√\\{}/^]*")
_UNSURE = re.compile(
    r"(?:n't|\bnot) (?:provide|give|have|contain) (?:\w+ )?(?:enough|information|context|details)|"
    r"not (?:in|among|one of) the (?:given )?(?:options|choices)|\bunclear\b|\bnot clear\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(r"^A:\s+(?=\S)")  # "A: False" is a Q/A transcript, not option A
REFUSAL = re.compile(
    r"\b(?:cannot|can't|can not|unable to|impossible to|not possible to|not enough information|"
    r"(?:does|do) not (?:provide|give|have|specify|contain) (?:\w+ )?(?:information|details|data)|not provided|"
    r"need more (?:information|data|context)|please provide)\b",
    re.IGNORECASE,
)
"""A response that says it cannot answer."""
_FULL_WIDTH = str.maketrans("（）：，．", "():,.")
_WORD_NUMBERS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
# "the smallest one", "one would need", "1 zero": the word counts nothing there
_NOT_A_COUNT = re.compile(r"(?:\b(?:the|this|that|each|any|every|which|no|other|\w+est)\s+|\d\s*)$", re.IGNORECASE)
_ONE_AS_PRONOUN = re.compile(r"one\s+(?:would|can|could|should|must|may|might|needs?)\b", re.IGNORECASE)
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)


def own_answer(response: str) -> str:
    """The response without a follow-up question it invented (few-shot bleed)."""
    cut = _INVENTED_QUESTION.search(response)
    return response[: cut.start()] if cut else response


def final_statement(response: str) -> str | None:
    """The text the response gives as its final answer, if it marks one."""
    boxed = last_boxed(response)
    if boxed:
        return boxed
    statements = [m.group("rest").strip() for m in _STATEMENT.finditer(response)
                  if not _CONDITIONAL.search(response, _sentence_start(response, m.start()), m.start())]
    statements = [_NEXT_SENTENCE.split(s)[0] for s in statements if s]
    return statements[-1] if statements else None


def _sentence_start(text: str, end: int) -> int:
    """Where the sentence holding ``text[end]`` starts."""
    return max(text.rfind(mark, 0, end) for mark in ".!?。\n") + 1


def _clean(text: str) -> str:
    text = _SQRT.sub(r"√\1\2", text)
    text = _FRAC.sub(r"\1/\2", text)
    text = _SLASH.sub("/", text)
    text = _TEXT_COMMAND.sub(r"\1\2", text)
    text = _DEGREE.sub("°", text)
    text = text.translate(_FULL_WIDTH)
    return text.replace("$", "").replace("**", "").replace("\\%", "%").strip()


def _comparable(text: str) -> str:
    """Choice texts compare case- and space-insensitively, ignoring end punctuation."""
    return re.sub(r"\s+", "", _clean(text)).lower().strip(".。,;:!\"'")


def parse_number(text: str) -> float | None:
    """The value of a number as written: ``1,000``, ``-3.5``, ``3/4``, ``\\frac{3}{4}``."""
    text = text.replace("−", "-").replace(",", "").replace(" ", "")
    try:
        if "/" in text:
            num, den = text.split("/")
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def numbers_in(text: str, words: bool = False) -> list[float]:
    """Numbers in order of appearance; with ``words``, "two" counts as well."""
    text = _clean(text)
    found = [(m.start(), parse_number(m.group())) for m in _NUMBER.finditer(text)]
    if words:
        found += [(m.start(), float(_WORD_NUMBERS[m.group().lower()])) for m in _WORD_NUMBER.finditer(text)
                  if not _NOT_A_COUNT.search(text[: m.start()]) and not _ONE_AS_PRONOUN.match(text, m.start())]
    return [v for _, v in sorted(found, key=lambda f: f[0]) if v is not None and math.isfinite(v)]


def _answer_number(sentence: str, question: str) -> float | None:
    """The number a sentence answers with: after its last "=", the last number that the
    question does not mention (else the last one)."""
    answer = re.split(r"=|≈", sentence)[-1]
    if re.search(r"\bratio\b", question, re.IGNORECASE):  # "is 3:1" answers a ratio with 3
        answer = _RATIO.sub(lambda m: repr(float(m[1]) / float(m[2])) if float(m[2]) else m[0], answer)
    if _ASKS_FRACTION.search(question):  # "or 75%" answers a fraction with 0.75
        answer = _PERCENT.sub(lambda m: repr(float(m[1]) / 100), answer)
    # "is 13 years, with the younger being 13 and the older 26": a clause right after a
    # number elaborates ("the bars with values below 6 are 0" does not)
    cuts = [m.start() for m in _ELABORATION.finditer(answer) if _ENDS_IN_NUMBER.search(answer[: m.start()])]
    head = answer[: cuts[0]] if cuts else answer
    values = numbers_in(head, words=True) or numbers_in(answer, words=True)
    if not values:
        return None
    given = set(numbers_in(question, words=True))
    fresh = [v for v in values if v not in given]
    if _ASKS_YEAR.search(question):  # "in 2016, with 94% of schools": the year
        fresh = [v for v in fresh if v.is_integer() and 1000 <= v <= 2100] or fresh
    return fresh[-1] if fresh else values[-1]


def _same_values(a: list[float], b: list[float]) -> bool:
    """Equal up to float noise: a program's 8.000000000000002 is 8."""
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b))


def _mentions(text: str, choice: str) -> bool:
    """Whether a choice text occurs in ``text`` as words ("no" is not in "cannot")."""
    wanted = re.escape(_clean(choice).lower().strip())
    # "3" is not in "3.97" or "0.3"
    return bool(wanted) and re.search(rf"(?<!\w)(?<!\d\.){wanted}(?!\w|\.\d)", _clean(text).lower()) is not None


def _one_mentioned(text: str, problem: VisionProblem) -> str | None:
    """The one choice text ``text`` mentions (a longer choice wins over one it contains:
    "10√3m" over "10m"); ``None`` for none or several."""
    named = [c for c in problem.choices if _mentions(text, c)]
    if not named:
        return None
    longest = max(named, key=lambda c: len(c.strip()))
    return longest if all(_mentions(longest, c) for c in named) else None


def _letter(text: str, problem: VisionProblem) -> str | None:
    found = _LETTER_IN_PARENS.search(text) or _LEADING_LETTER.match(text)
    letter = found and next(g for g in found.groups() if g)
    return problem.choices[problem.letters.index(letter)] if letter and letter in problem.letters else None


def _choice_in(text: str, problem: VisionProblem) -> str | None:
    """The choice a short answer text names: a letter, a choice text, or a numeric value."""
    text = _clean(text)
    by_letter = _letter(text, problem)
    if by_letter is not None:
        return by_letter
    wanted = _comparable(text)
    for choice in problem.choices:
        if _comparable(choice) == wanted:
            return choice
    if any(_mentions(text, c) for c in problem.choices):
        return _one_mentioned(text, problem)
    values = numbers_in(text)
    if len(values) == 1:
        matches = [c for c in problem.choices if _same_values(numbers_in(c), values)]
        if len(matches) == 1:
            return matches[0]
    return None


def extract_choice(response: str, problem: VisionProblem) -> str | None:
    """The chosen choice text of a multiple-choice response, or ``None``: the choice it
    names, else (unless it refuses) the one it paraphrases or computes."""
    response = _clean(response)
    lines = [_comparable(line) for line in response.splitlines() if line.strip()]
    choices = {_comparable(c) for c in problem.choices}
    if len(lines) > 1 and all(line in choices for line in lines) and len(set(lines)) > 1:
        return None  # one choice per line: a program that printed several
    named = _named_choice(response, problem)
    text = _SPEAKER.sub("", response.strip())
    if named is not None:
        return named
    if _no_paraphrase(text):
        return yes_no_led(text, problem.choices)
    return (yes_no_restated(text, problem.question, problem.choices)
            or choice_restated(text, problem.question, problem.choices)
            or choice_inflected(text, problem.question, problem.choices)
            or _choice_by_value(text, problem))


def _no_paraphrase(text: str) -> bool:
    """A response that refuses, doubts, or answers by an option letter or an answer
    statement that matches no choice has no paraphrased choice either."""
    if REFUSAL.search(text) or _UNSURE.search(text) or final_statement(text):
        return True
    found = [*_LETTER_IN_PARENS.finditer(text), *_LETTER_CUE.finditer(text), _LEADING_LETTER.match(text)]
    return any(next(g for g in m.groups() if g) in _OPTION_LETTERS for m in found if m)


def _choice_by_value(text: str, problem: VisionProblem) -> str | None:
    """The choice whose number is the number the last sentence with numbers answers,
    for choices that are plain numbers ("55°", "4.40米", not "R2" or "2√{3}")."""
    if not all(_PLAIN_NUMBER.fullmatch(_clean(c)) for c in problem.choices):
        return None
    sentences = [s for s in _SENTENCE_END.split(text) if numbers_in(s)]
    value = _answer_number(sentences[-1], problem.question) if sentences else None
    matches = [c for c in problem.choices if value is not None and _same_values(numbers_in(c), [value])]
    return matches[0] if len(matches) == 1 else None


def _named_choice(response: str, problem: VisionProblem) -> str | None:
    statement = final_statement(response)
    if statement:
        quoted = _QUOTED.match(statement)  # 'the correct answer is "soup." Soup ...'
        choice = _choice_in(quoted.group(1) if quoted else statement, problem)
        if choice is not None:
            return choice
        if REFUSAL.search(statement):  # "The correct answer is: Not enough information provided."
            return None
    for opening in (_OPENING_LETTER.match(response.strip()), _LETTER_FIRST.search(response)):
        letter = opening and next(g for g in opening.groups() if g)
        if letter and letter in problem.letters:
            return problem.choices[problem.letters.index(letter)]
    cues = [next(g for g in m.groups() if g) for m in _LETTER_CUE.finditer(response)]
    cues = [c for c in cues if c in problem.letters]
    if cues:
        return problem.choices[problem.letters.index(cues[-1])]
    letters = [next(g for g in m.groups() if g) for m in _LETTER_IN_PARENS.finditer(response)]
    letters = set(c for c in letters if c in problem.letters)
    if len(letters) > 1:  # the response echoes the option list: no choice made
        return None
    if letters:
        return problem.choices[problem.letters.index(letters.pop())]
    text = _SPEAKER.sub("", response.strip())
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(text) <= _SHORT:  # all answer, or a lead-in and a lone letter: "Okay:\n\nB"
        lone = lines and _LONE_LETTER.match(lines[-1])
        return _choice_in(text, problem) or (_letter(lines[-1], problem) if lone else None)
    for line in (lines[0], lines[-1]):
        if _LONE_LETTER.match(line):
            return _letter(line, problem)
    first_word = _FIRST_WORD.match(text)
    named = [c for c in problem.choices if first_word and c.lower() == first_word.group(1).lower()]
    if named:
        return named[0]
    if REFUSAL.search(text):  # "it is not possible to predict ... without more information"
        return None
    # a long response names its choice in words: its last sentence naming a choice text
    # (short texts such as "no" or "12", and texts or values the question gives, occur
    # in reasoning by chance)
    given = set(numbers_in(problem.question))
    wordy = VisionProblem(problem.answer, problem.question_type, problem.answer_type, tuple(
        c for c in problem.choices
        if len(_comparable(c)) >= _WORDY and not _mentions(problem.question, c)
        and not (numbers_in(c) and set(numbers_in(c)) <= given)))
    sentences = [s for s in _SENTENCE_END.split(text) if any(_mentions(s, c) for c in wordy.choices)]
    return _one_mentioned(sentences[-1], wordy) if sentences else None


def extract_free_form(response: str, problem: VisionProblem) -> str | None:
    """The normalised number (or list) a free-form response answers, or ``None``."""
    statement = final_statement(response)
    if problem.answer_type == "list":
        source = statement if statement and "[" in statement else response
        lists = re.findall(r"\[([^\[\]]*)\]", source)
        return "[" + ", ".join(_number_text(v) for v in numbers_in(lists[-1])) + "]" if lists else None
    if statement is not None:
        value = _answer_number(statement, problem.question)
    elif REFUSAL.search(response):
        value = None
    elif _BOLD_NUMBER.search(response):  # "is **70**": the number the response highlights
        value = numbers_in(_BOLD_NUMBER.search(response).group(1))[0]
    else:
        sentences = [s for s in _SENTENCE_END.split(_prose(response)) if numbers_in(s, words=True)]
        value = _answer_number(sentences[-1], problem.question) if sentences else None
    return None if value is None else _number_text(value)


def _prose(response: str) -> str:
    """The response without code blocks and table rows: data it shows, not its answer."""
    response = re.sub(r"```.*?(?:```|$)", "\n", response, flags=re.DOTALL)
    return "\n".join(line for line in response.splitlines() if "|" not in line)


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def extract_prediction(response: str, problem: VisionProblem) -> str | None:
    response = own_answer(response)
    if problem.question_type == MULTI_CHOICE:
        return extract_choice(response, problem)
    return extract_free_form(response, problem)


def is_correct(prediction: str | None, problem: VisionProblem) -> bool:
    """Whether a normalised prediction is the gold answer."""
    if prediction is None:
        return False
    if problem.question_type == MULTI_CHOICE:
        return prediction == problem.answer
    if problem.answer_type == "list":
        return numbers_in(prediction) == numbers_in(problem.answer)
    value, gold = parse_number(prediction), parse_number(problem.answer)
    if value is None or gold is None:
        return False
    if problem.answer_type == "float":
        places = problem.precision if problem.precision is not None else 2
        return round(value, places) == round(gold, places)
    return value == gold


def grade_response(response: str, problem: VisionProblem) -> VisionGrade:
    prediction = extract_prediction(response, problem)
    return VisionGrade(prediction, is_correct(prediction, problem))

"""Reading MathVista responses: markup cleaned away, numbers as written, the statement a
response marks as its final answer, refusals. Shared by the multiple-choice and the
free-form readers."""

from __future__ import annotations

import math
import re

from ..boxed import last_boxed

# "the answer is", "Answer:", "the correct option is", "答案是" ... up to the end of the line.
STATEMENT = re.compile(
    r"(?:\b(?:final value|solution)\s+(?:is|would be)|\b(?:final answer|answer|(?<!each )(?:correct )?(?:option|choice)(?: letter)?)"
    r"(?:\s*(?:is|would be|will be|should be|[:：])"
    # "the option letter for 2003 is C" (not "the option letter for (C) C is (C)")
    r"|\s+(?:that|which|for|with)\b(?:(?!\([A-Z]\))[^.\n]){0,80}?\s(?:is|would be)\b)"
    r"|答案(?:是|为|應為|应为)?\s*[:：]?|故选|所以选|因此选|选择?项?为?)"
    r"\s*[:：]?\s*(?P<rest>[^\n]*)",
    re.IGNORECASE,
)
REFUSAL = re.compile(
    r"\b(?:cannot|can't|can not|unable to|impossible to|not possible to|not enough information|"
    r"(?:does|do) not (?:provide|give|have|specify|contain) (?:\w+ )?(?:information|details|data)|not provided|"
    r"need more (?:information|data|context)|please provide)\b",
    re.IGNORECASE,
)
"""A response that says it cannot answer."""
SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")

_NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e-?\d+|\s*/\s*\d+(?:\.\d+)?)?|[-−]?\.\d+")
_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*([^{}]+?)\s*\}\s*\{\s*([^{}]+?)\s*\}")  # "\frac { 5 } { 3 }" too
_SQRT = re.compile(r"(?:√|\\sqrt)\s*\{([^{}]+)\}|\\sqrt\s*(\d+)")  # √{3}, \sqrt 2 -> √3, √2
_SLASH = re.compile(r"\s*/\s*")
_TEXT_COMMAND = re.compile(r"\\text\{([^{}]*)\}|\\mathrm\{([^{}]*)\}")
_DEGREE = re.compile(r"\*?\\degree")
_FULL_WIDTH = str.maketrans("（）：，．", "():,.")
_CONDITIONAL = re.compile(r"\b(?:if|otherwise)\b", re.IGNORECASE)  # "If ..., the answer is (A)."
_NEXT_SENTENCE = re.compile(r"(?<=[.!?。])\s+(?=[A-Z])")  # "is 2. In 2008, ..." ends at "2."
_INVENTED_QUESTION = re.compile(r"\n\s*Question\s*[:：]")
_WORD_NUMBERS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
# "the smallest one", "one would need", "1 zero": the word counts nothing there
_NOT_A_COUNT = re.compile(r"(?:\b(?:the|this|that|each|any|every|which|no|other|\w+est)\s+|\d\s*)$", re.IGNORECASE)
_ONE_AS_PRONOUN = re.compile(r"one\s+(?:would|can|could|should|must|may|might|needs?)\b", re.IGNORECASE)


def own_answer(response: str) -> str:
    """The response without a follow-up question it invented (few-shot bleed)."""
    cut = _INVENTED_QUESTION.search(response)
    return response[: cut.start()] if cut else response


def final_statement(response: str) -> str | None:
    """The text the response gives as its final answer, if it marks one."""
    boxed = last_boxed(response)
    if boxed:
        return boxed
    statements = [m.group("rest").strip() for m in STATEMENT.finditer(response)
                  if not _CONDITIONAL.search(response, _sentence_start(response, m.start()), m.start())]
    statements = [_NEXT_SENTENCE.split(s)[0] for s in statements if s]
    return statements[-1] if statements else None


def _sentence_start(text: str, end: int) -> int:
    """Where the sentence holding ``text[end]`` starts."""
    return max(text.rfind(mark, 0, end) for mark in ".!?。\n") + 1


def clean(text: str) -> str:
    """The text without LaTeX and markdown markup: ``\\frac{3}{4}`` -> ``3/4``, ``√{3}`` ->
    ``√3``, full-width punctuation made ASCII."""
    text = _SQRT.sub(r"√\1\2", text)
    text = _FRAC.sub(r"\1/\2", text)
    text = _SLASH.sub("/", text)
    text = _TEXT_COMMAND.sub(r"\1\2", text)
    text = _DEGREE.sub("°", text)
    text = text.translate(_FULL_WIDTH)
    return text.replace("$", "").replace("**", "").replace("\\%", "%").strip()


def comparable(text: str) -> str:
    """Choice texts compare case- and space-insensitively, ignoring end punctuation."""
    return re.sub(r"\s+", "", clean(text)).lower().strip(".。,;:!\"'")


def mentions(text: str, choice: str) -> bool:
    """Whether a choice text occurs in ``text`` as words ("no" is not in "cannot")."""
    wanted = re.escape(clean(choice).lower().strip())
    # "3" is not in "3.97" or "0.3"
    return bool(wanted) and re.search(rf"(?<!\w)(?<!\d\.){wanted}(?!\w|\.\d)", clean(text).lower()) is not None


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
    text = clean(text)
    found = [(m.start(), parse_number(m.group())) for m in _NUMBER.finditer(text)]
    if words:
        found += [(m.start(), float(_WORD_NUMBERS[m.group().lower()])) for m in _WORD_NUMBER.finditer(text)
                  if not _NOT_A_COUNT.search(text[: m.start()]) and not _ONE_AS_PRONOUN.match(text, m.start())]
    return [v for _, v in sorted(found, key=lambda f: f[0]) if v is not None and math.isfinite(v)]


def same_values(a: list[float], b: list[float]) -> bool:
    """Equal up to float noise: a program's 8.000000000000002 is 8."""
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b))


def number_text(value: float) -> str:
    """A number written canonically, so equal answers vote together: 8.0 -> "8"."""
    return str(int(value)) if value.is_integer() else repr(value)

"""MathVista multiple-choice answers: which choice a response picks.

In order: the choice its answer statement names (a letter, a choice text or a value);
an option letter it opens with or cues ("option C", "(C)"); a short response read
whole; a choice ending its main clause; the last sentence naming a long choice text;
then, unless it refuses or answers otherwise, a paraphrase (``paraphrase``) or a
computed value equal to one choice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .free_form import answer_number
from .paraphrase import choice_inflected, choice_restated, yes_no_led, yes_no_restated
from .problem import VisionProblem
from .text import REFUSAL, SENTENCE_END, clean, comparable, final_statement, mentions, numbers_in, same_values

PLAIN_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?\s*[^\d\s√\\{}/^]*")
"""A choice that is a number with at most a unit: "55°", "4.40米" (not "R2" or "2√3")."""

# "(C)" anywhere; "C)" only opening a line ("at point C)" closes a parenthesis)
_LETTER_IN_PARENS = re.compile(r"\(([A-Z])\)|^[ \t]*([A-Z])\)", re.MULTILINE)
_LONE_LETTER = re.compile(r"^\(?[A-Z][).:]?$")
_LEADING_LETTER = re.compile(r"^\(?([A-Z])(?:\)|\.|:|,|\s|$)")
_LETTER_CUE = re.compile(
    r"(?:\b(?i:option|choice|answer)\s*\(?([A-Z])\)?(?![A-Za-z])|选项?\s*\(?([A-Z])\)?|[是为选]\s*\(?([A-Z])\)?(?![A-Za-z]))"
)
_REJECTED = re.compile(r"\s*(?:is|are)\s+(?:incorrect|wrong|not)\b")  # "Option D is incorrect"
_OPENING_LETTER = re.compile(r"\(?([A-Z])[).]\s")  # "C. grasshopper ..." ("A: No" is a transcript)
_LETTER_FIRST = re.compile(
    r"(?<![\w(])\(?([A-Z])\)? is the (?:correct |right |best )?(?:answer|option|choice)\b"
    r"|^\(?([A-HJ-Z])\)? (?:is|would|will)\b(?! not)")  # "A would be most affected" ("I would" is no option)
_CLOSING_LETTER = re.compile(r"\bis\s+\(?([A-Z])\)?\.?$")  # "Therefore, the length of CD is D."
_OPTION_LETTERS = "ABCDEFGH"  # "(f: R to R)" names no option
_QUOTED = re.compile(r"[\"“]([^\"”\n]+)[\"”]")
_FIRST_WORD = re.compile(r"\W*(\w+)")
_SPEAKER = re.compile(r"^A:\s+(?=\S)")  # "A: False" is a Q/A transcript, not option A
_NAME_DIGITS = re.compile(r"[A-Za-z]\d")  # "U13B", "R2": digits of a name, not a value
_UNSURE = re.compile(
    r"(?:n't|\bnot) (?:provide|give|have|contain) (?:\w+ )?(?:enough|information|context|details)|"
    r"not (?:in|among|one of) the (?:given )?(?:options|choices)|\bunclear\b|\bnot clear\b",
    re.IGNORECASE,
)
_WORDY = 4  # shortest choice text looked for inside a long response
_SHORT = 60  # a response this short is all answer: "(B) No", "145°", "yes"


def extract_choice(response: str, problem: VisionProblem) -> str | None:
    """The chosen choice text of a multiple-choice response, or ``None``: the choice it
    names, else (unless it refuses) the one it paraphrases or computes."""
    response = clean(response)
    lines = [comparable(line) for line in response.splitlines() if line.strip()]
    choices = {comparable(c) for c in problem.choices}
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
    cues = [next(g for g in m.groups() if g) for m in _LETTER_CUE.finditer(response)
            if not _REJECTED.match(response, m.end())]
    cues = [c for c in cues if c in problem.letters]
    if cues:
        return problem.choices[problem.letters.index(cues[-1])]
    letters = [next(g for g in m.groups() if g) for m in _LETTER_IN_PARENS.finditer(response)]
    letters = set(c for c in letters if c in _OPTION_LETTERS)
    if len(letters) > 1:  # the response echoes the option list (or invents one): no choice made
        return None
    if letters & set(problem.letters):
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
    sentences = [s for s in SENTENCE_END.split(text) if s.strip()]
    stated = _choice_ending(sentences, problem.choices)
    if stated is not None:
        return stated
    closing = _CLOSING_LETTER.search(sentences[-1].strip())
    if closing and closing.group(1) in problem.letters:
        return problem.choices[problem.letters.index(closing.group(1))]
    # a long response names its choice in words: its last sentence naming a choice text
    # (short texts such as "no" or "12", and texts or values the question gives, occur
    # in reasoning by chance)
    given = set(numbers_in(problem.question))
    wordy = tuple(c for c in problem.choices
                  if len(comparable(c)) >= _WORDY and not mentions(problem.question, c)
                  and not (numbers_in(c) and set(numbers_in(c)) <= given))
    naming = [s for s in sentences if any(mentions(s, c) for c in wordy)]
    return _one_mentioned(naming[-1], wordy) if naming else None


def _choice_in(text: str, problem: VisionProblem) -> str | None:
    """The choice a short answer text names: a letter, a choice text, or a numeric value."""
    text = clean(text)
    by_letter = _letter(text, problem)
    if by_letter is not None:
        return by_letter
    wanted = comparable(text)
    for choice in problem.choices:
        if comparable(choice) == wanted:
            return choice
    if any(mentions(text, c) for c in problem.choices):
        return _one_mentioned(text, problem.choices)
    values = numbers_in(text)
    if len(values) == 1:  # "145°" is choice "145"; "13" is no value of "RFT U13B"
        matches = [c for c in problem.choices
                   if not _NAME_DIGITS.search(clean(c)) and same_values(numbers_in(c), values)]
        if len(matches) == 1:
            return matches[0]
    return None


def _letter(text: str, problem: VisionProblem) -> str | None:
    found = _LETTER_IN_PARENS.search(text) or _LEADING_LETTER.match(text)
    letter = found and next(g for g in found.groups() if g)
    return problem.choices[problem.letters.index(letter)] if letter and letter in problem.letters else None


def _one_mentioned(text: str, choices: Sequence[str]) -> str | None:
    """The one choice text ``text`` mentions (a longer choice wins over one it contains:
    "10√3m" over "10m"); ``None`` for none or several."""
    named = [c for c in choices if mentions(text, c)]
    if not named:
        return None
    longest = max(named, key=lambda c: len(c.strip()))
    return longest if all(mentions(longest, c) for c in named) else None


def _choice_ending(sentences: list[str], choices: Sequence[str]) -> str | None:
    """The choice the last sentence, else the first, ends its main clause with: "the value
    of CD is 2√3.", "The length of a side is 6, as ...", "is the red function, which ..."."""
    texts = {clean(c).lower(): c for c in choices if clean(c)}
    if not texts:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
    ending = re.compile(rf"\b(?:is|are|be|=)\s+(?:the\s+)?({alternatives})(?:\s+\w+)?\s*(?:[.,;]|$)")
    for sentence in dict.fromkeys(sentences[-1:] + sentences[:1]):
        found = list(ending.finditer(clean(sentence).lower()))
        if found:
            return texts[found[-1].group(1)]
    return None


def _no_paraphrase(text: str) -> bool:
    """A response that refuses, doubts, or answers by an option letter or an answer
    statement that matches no choice has no paraphrased choice either."""
    if REFUSAL.search(text) or _UNSURE.search(text) or final_statement(text):
        return True
    found = [*_LETTER_IN_PARENS.finditer(text), *_LETTER_CUE.finditer(text), _LEADING_LETTER.match(text)]
    return any(next(g for g in m.groups() if g) in _OPTION_LETTERS for m in found if m)


def _choice_by_value(text: str, problem: VisionProblem) -> str | None:
    """The choice whose number is the number the last sentence with numbers answers,
    for choices that are plain numbers."""
    if not all(PLAIN_NUMBER.fullmatch(clean(c)) for c in problem.choices):
        return None
    sentences = [s for s in SENTENCE_END.split(text) if numbers_in(s)]
    value = answer_number(sentences[-1], problem.question) if sentences else None
    matches = [c for c in problem.choices if value is not None and same_values(numbers_in(c), [value])]
    return matches[0] if len(matches) == 1 else None

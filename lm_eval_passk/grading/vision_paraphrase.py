"""MathVista choices given only as a paraphrase: a yes/no question answered by restating
it ("Is X greater than Y?" -> "X is not greater than Y." -> No), or a choice text named
in other inflections ("Superior lobes" in "the largest part is the superior lobe").

Both are last resorts of ``vision.extract_choice``: they run only when the response names
no option letter, answer statement or choice text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# a clause after these gives reasons, and may name other choices or negate other things
_REASON = re.compile(r",? (?:because|since|as|which|while|whereas|indicating|suggesting|but|although)\b|;| - ")
_NEGATION = {"not", "no", "never", "isn't", "aren't", "doesn't", "don't", "didn't", "wasn't", "weren't", "won't"}
# words a restatement may drop or change without changing what it claims
_FILLER = {
    "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would",
    "should", "the", "a", "an", "this", "that", "these", "those", "there", "it", "of", "to", "in", "on", "at",
    "be", "and", "or", "than", "image", "figure", "picture", "graph", "shown", "according",
}
# a comparison restated with its opposite (or with "equal") denies the question's claim
_OPPOSITES = {
    "more": {"fewer", "less", "equal"}, "fewer": {"more", "greater", "equal"}, "less": {"more", "greater", "equal"},
    "greater": {"less", "smaller", "lower", "equal"}, "larger": {"smaller", "equal"}, "bigger": {"smaller", "equal"},
    "smaller": {"larger", "bigger", "greater", "equal"}, "higher": {"lower", "equal"}, "lower": {"higher", "equal"},
    "longer": {"shorter", "equal"}, "shorter": {"longer", "equal"}, "maximum": {"minimum"}, "minimum": {"maximum"},
    "highest": {"lowest"}, "lowest": {"highest"}, "largest": {"smallest"}, "smallest": {"largest"},
}
_RESTATED = 0.75  # share of the question's content words a restatement repeats


def _stem(word: str) -> str:
    """Singular and plural compare equal: "lobes"/"lobe", "buss"/"bus"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower().replace("’", "'"))]


def _main_clause(sentence: str) -> str:
    return _REASON.split(sentence)[0]


def _is_yes_no(choices: Sequence[str]) -> bool:
    return sorted(c.strip().lower() for c in choices) == ["no", "yes"]


def _verdict(sentence: str, question: str) -> bool | None:
    """True or False for a sentence that restates the question as a claim, else None."""
    said = words(_main_clause(sentence))
    if said[:1] in (["yes"], ["no"]):  # "No, X is not Y": the answer word, then the claim
        said = said[1:]
    asked = [w for w in words(question) if w not in _FILLER]
    if not asked or not said:
        return None
    present = set(said)
    if sum(1 for w in asked if w in present or _OPPOSITES.get(w, set()) & present) < _RESTATED * len(asked):
        return None
    swapped = _swapped(question, _main_clause(sentence))  # "fewer X than Y?" -> "more Y than X"
    if not swapped and _in_order(asked, said) < _RESTATED * len(asked):
        return None
    negations = sum(w in _NEGATION for w in said)
    turned = sum(1 for w in asked if w not in present and _OPPOSITES.get(w, set()) & present)  # larger -> smaller
    return (negations + turned + swapped) % 2 == 0


def _in_order(asked: list[str], said: list[str]) -> int:
    """How many of the question's words the sentence repeats in the question's order
    (a comparison word may be its opposite): "The high median of Cadet Blue is 20"
    does not restate "Is Cadet Blue the high median?"."""
    def same(a: str, b: str) -> bool:
        return a == b or b in _OPPOSITES.get(a, set())
    previous = [0] * (len(said) + 1)
    for a in asked:
        current = [0]
        for j, b in enumerate(said, 1):
            current.append(previous[j - 1] + 1 if same(a, b) else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def _swapped(question: str, sentence: str) -> bool:
    """Whether the sentence puts the question's two compared sides the other way round."""
    q_sides, s_sides = question.lower().split(" than ", 1), sentence.lower().split(" than ", 1)
    if len(q_sides) < 2 or len(s_sides) < 2:
        return False
    q_left, q_right = (set(words(s)) - _FILLER for s in q_sides)
    s_left, s_right = (set(words(s)) for s in s_sides)
    compared = q_right - q_left  # what the question compares against, e.g. "rubber choppers"
    return bool(compared & s_left) and not compared & s_right


def yes_no_restated(response: str, question: str, choices: Sequence[str]) -> str | None:
    """The Yes or No choice of a response that restates a yes/no question as a claim
    (negated or with the comparison turned round for No); ``None`` when no sentence
    restates it or the restatements disagree."""
    if not _is_yes_no(choices):
        return None
    verdicts = {
        _verdict(s, question) for s in _SENTENCES.split(response.strip()) if s.strip() and not s.strip().endswith("?")
    } - {None}
    if len(verdicts) != 1:
        return None
    wanted = "yes" if verdicts.pop() else "no"
    return next(c for c in choices if c.strip().lower() == wanted)


def _names(said: list[str], choice: list[str]) -> bool:
    n = len(choice)
    return n > 0 and any(said[i:i + n] == choice for i in range(len(said) - n + 1))


def choice_inflected(response: str, question: str, choices: Sequence[str]) -> str | None:
    """The one choice whose words (singular or plural) the main clause of the response's
    last sentence, else its first, contains; choices the question names are left out."""
    asked = words(question)
    candidates = [(c, words(c)) for c in choices]
    candidates = [(c, w) for c, w in candidates if w and not w[0].isdigit() and not _names(asked, w)]
    sentences = [s for s in _SENTENCES.split(response.strip()) if s.strip()]
    for sentence in dict.fromkeys(sentences[-1:] + sentences[:1]):  # the conclusion, else the opening
        said = words(_main_clause(sentence))
        named = [(c, w) for c, w in candidates if _names(said, w)]
        if named:
            longest = max(named, key=lambda n: len(n[1]))
            return longest[0] if all(_names(longest[1], w) for _, w in named) else None
    return None

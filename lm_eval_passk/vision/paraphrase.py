"""MathVista choices given only as a paraphrase: a yes/no question answered by restating
it ("Is X greater than Y?" -> "X is not greater than Y." -> No), a question restated and
completed with a choice ("If ferns decrease, salmon will most likely decrease"), or a
choice text named in other inflections ("Superior lobes" in "the largest part is the
superior lobe"); and the Yes or No word after an option letter ("C) No, ...").

All are last resorts of ``choice.extract_choice``: they run only when the response
names no option letter, answer statement or choice text (``yes_no_led`` only when it names
a letter that decides nothing). ``restates_question`` also tells ``free_form`` which
sentence answers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence


def _stem(word: str) -> str:
    """Singular and plural compare equal: "lobes"/"lobe", "buss"/"bus"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# a clause after these gives reasons, and may name other choices or negate other things
_REASON = re.compile(r",? (?:because|since|as|which|while|whereas|whether|indicating|suggesting|but|although)\b|;| - ")
_NEGATION = {"not", "no", "never", "isn't", "aren't", "doesn't", "don't", "didn't", "wasn't", "weren't", "won't"}
# words a restatement may drop or change without changing what it claims
_FILLER = set(map(_stem, {
    "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "will", "would",
    "should", "the", "a", "an", "this", "that", "these", "those", "there", "it", "of", "to", "in", "on", "at",
    "be", "and", "or", "than", "image", "figure", "picture", "graph", "diagram", "shown", "according",
    "also", "likely",
}))
# what a question asks with, which its answer drops: "What would happen to X?" -> "X would decrease"
_ASKING = set(map(_stem, {"what", "which", "who", "how", "happen"}))
# a comparison restated with its opposite (or with "equal") denies the question's claim
_OPPOSITES = {
    "more": {"fewer", "less", "equal"}, "fewer": {"more", "greater", "equal"}, "less": {"more", "greater", "equal"},
    "greater": {"less", "smaller", "lower", "equal"}, "larger": {"smaller", "equal"}, "bigger": {"smaller", "equal"},
    "smaller": {"larger", "bigger", "greater", "equal"}, "higher": {"lower", "equal"}, "lower": {"higher", "equal"},
    "longer": {"shorter", "equal"}, "shorter": {"longer", "equal"}, "maximum": {"minimum"}, "minimum": {"maximum"},
    "highest": {"lowest"}, "lowest": {"highest"}, "largest": {"smallest"}, "smallest": {"largest"},
}
# "Is this an even function?": no subject the predicate could swap places with, so
# "The function is even" restates it in any word order
_ABOUT_THIS = re.compile(r"\W*(?:is|are|was|were|does|do|did)\s+(?:this|it)\b(?!.*\bthan\b)", re.IGNORECASE)
# an option letter, then the answer word: "B. No.", "C) No,", "A - Yes"
_LED = re.compile(r"^\(?[A-Z](?:\)|\.|:|\s+-)\s*(yes|no)\b(?![-'])", re.IGNORECASE | re.MULTILINE)
# "A periodic function repeats its values ...": what such things are, not what this one is
_GENERAL = re.compile(r"\s*an?\s", re.IGNORECASE)
_COPULA = re.compile(r"\s+is\s+")
_ASIDE = re.compile(r"\s*\([^()]*\)")
_RESTATED = 0.75  # share of the question's content words a restatement repeats


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
    if not _restates(said, asked):
        return None
    present = set(said)
    swapped = _swapped(question, _main_clause(sentence))  # "fewer X than Y?" -> "more Y than X"
    if not swapped and not _ABOUT_THIS.match(question) and _in_order(asked, said) < _RESTATED * len(asked):
        # "The high median is Light Sky Blue" restates "Is Light Sky Blue the high median?"
        sides = _COPULA.split(_main_clause(sentence), 1)
        if len(sides) < 2 or _in_order(asked, words(sides[1]) + words(sides[0])) < len(asked):
            return None
    negations = sum(w in _NEGATION for w in said)
    turned = sum(1 for w in asked if w not in present and _OPPOSITES.get(w, set()) & present)  # larger -> smaller
    return (negations + turned + swapped) % 2 == 0


def _restates(said: list[str], asked: list[str]) -> bool:
    """Whether a sentence repeats most of the question's content words (a comparison
    word may be its opposite)."""
    asked = [w for w in asked if w not in _FILLER and w not in _ASKING]
    present = set(said)
    repeated = sum(1 for w in asked if w in present or _OPPOSITES.get(w, set()) & present)
    return bool(asked) and repeated >= _RESTATED * len(asked)


def restates_question(sentence: str, question: str) -> bool:
    """Whether a sentence repeats most of the content words of the question proper."""
    return _restates(words(sentence), words(_question_proper(question)))


def _question_proper(question: str) -> str:
    """The question's last sentence: "Look at the table. ... Is there a shortage or a surplus?"."""
    return ([s for s in _SENTENCES.split(question.strip()) if s.strip()] or [""])[-1]


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
    question = _ASIDE.sub("", question)  # "Is the function (f: R to R) injective?"
    verdicts = {
        _verdict(s, question) for s in _SENTENCES.split(response.strip())
        if s.strip() and not s.strip().endswith("?") and not _GENERAL.match(s)
    } - {None}
    if len(verdicts) != 1:
        return None
    wanted = "yes" if verdicts.pop() else "no"
    return next(c for c in choices if c.strip().lower() == wanted)


def yes_no_led(response: str, choices: Sequence[str]) -> str | None:
    """The Yes or No a response leads with after an option letter ("B. No. The nest is
    too small", "C) No, Dark Blue is not ..."): the word, not the letter, is the answer
    (a weak model's letter may name no choice). ``None`` for an echo of the options
    ("(C) Yes\n(D) No")."""
    if not _is_yes_no(choices):
        return None
    led = {m.group(1).lower() for m in _LED.finditer(response.strip())}
    if len(led) != 1 or not _LED.match(response.strip()):
        return None
    wanted = led.pop()
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
        named = [c for c, w in candidates if _names(said, w)]
        if named:
            return _one(named)
    return None


def _content(choice: str) -> list[str]:
    return [w for w in words(choice) if w not in _FILLER]


def _says_in_order(said: list[str], wanted: list[str]) -> bool:
    """Whether the sentence has the words in this order: "the population of tuna would
    likely increase" says "The population of tuna will increase"; "a decrease in plants"
    does not say "plants decrease"."""
    rest = iter(said)
    return all(w in rest for w in wanted)


def _one(named: list[str]) -> str | None:
    """The one choice named, or the longest when it contains the others ("plants
    increase" over "increase"); ``None`` for none or several."""
    if not named:
        return None
    longest = max(named, key=lambda c: len(words(c)))
    return longest if all(_names(words(longest), words(c)) for c in named) else None


def _continued(said: list[str], asked: list[str], choices: Sequence[str]) -> str | None:
    """The choice a sentence adds to the question's words: each word of the choice that
    no other choice has is said more often than asked ("If ferns decrease, salmon will
    decrease" adds "decrease" to "If ferns decrease, salmon will?")."""
    added = set(Counter(said) - Counter(asked))
    if added & _NEGATION:
        return None
    named = []
    for choice in choices:
        own = set(_content(choice)).difference(*(_content(c) for c in choices if c != choice))
        if own and own <= added and _says_in_order(said, _content(choice)):
            named.append(choice)
    return _one(named)


def _compared(clause: str, question: str, choices: Sequence[str]) -> str | None:
    """The choice a comparison puts first when it repeats the question's comparison word,
    or second when it uses the opposite word ("The sun is larger than the moon" and "The
    moon is smaller than the sun" answer "Which is larger?" with "sun")."""
    sides = clause.lower().split(" than ", 1)
    asked = set(words(question)) & set(_OPPOSITES)
    if len(sides) < 2 or not asked:
        return None
    first, second = words(sides[0]), words(sides[1])
    if set(first) & _NEGATION:
        return None
    if asked & set(first):
        side = first
    elif any(_OPPOSITES[w] & set(first) for w in asked):
        side = second
    else:
        return None
    return _one([c for c in choices if _names(side, words(c))])


def _question_asked(question: str, choices: Sequence[str]) -> tuple[str, list[str]]:
    """The question proper and its words less the alternatives it offers: "X or Y?" asks
    about both and gives neither."""
    asked_text = _question_proper(question)
    asked = words(asked_text)
    offered = [c for c in choices if _names(asked, words(c))] if "or" in asked else []
    if len(offered) > 1:
        asked = [w for w in asked if not any(w in words(c) for c in offered)]
    return asked_text, asked


def choice_restated(response: str, question: str, choices: Sequence[str]) -> str | None:
    """The choice of a response whose sentences restate the question and complete it with
    a choice: the question's stem continued ("If ferns decrease, salmon will most likely
    decrease"), one of the alternatives an "X or Y?" question offers, or the first side
    of a comparison; ``None`` when no sentence does or they disagree."""
    if _is_yes_no(choices):
        return None
    choices = [c for c in choices if words(c) and not words(c)[0].isdigit()]
    asked_text, asked = _question_asked(question, choices)
    found = set()
    for sentence in _SENTENCES.split(response.strip()):
        clause = _main_clause(sentence)
        said = words(clause)
        if not sentence.strip().endswith("?") and _restates(said, asked):
            found.add(_compared(clause, asked_text, choices) or _continued(said, asked, choices))
    found -= {None}
    return found.pop() if len(found) == 1 else None

"""MathVista answer extraction and matching: (response, problem) -> (answer, correct).

Cases marked "MathVista <run>/<pid>" are responses from lupantech/MathVista's stored
model outputs (../shared/data/mathvista_generations); the expected answers were read
by hand from the response text.
"""

from __future__ import annotations

import pytest

from lm_eval_passk.grading.vision import VisionProblem, grade_response

YES_NO = VisionProblem("No", "multi_choice", "text", ("Yes", "No"), question="Is the function invertible?")
ANGLES = VisionProblem("145°", "multi_choice", "text", ("135°", "140°", "145°", "150°"))
HEIGHTS = VisionProblem("5√{3}m", "multi_choice", "text", ("10m", "5m", "5√{3}m", "10√{3}m"))
FOOD_WEB = VisionProblem("it would decrease", "multi_choice", "text",
                         ("increase", "fluctuate", "it would decrease", "stay the same"))
FRACTIONS = VisionProblem("\\frac{4}{5}", "multi_choice", "text",
                          ("\\frac{2}{3}", "\\frac{3}{5}", "\\frac{3}{4}", "\\frac{4}{5}"))
COUNT = VisionProblem("2", "free_form", "integer", question="How many items sold less than 5 units in at least one store?")
BARS = VisionProblem("2", "free_form", "integer", question="How many bars have values larger than 4?")
AGE = VisionProblem("4", "free_form", "integer", question="What is the age gap between these two people in image?")
SPRING = VisionProblem("1.2", "free_form", "float", precision=1)
RATIO = VisionProblem("0.21", "free_form", "float", precision=2)
YEARS = VisionProblem("[2014, 2016]", "free_form", "list")

CASES = [
    # multiple choice: letters, choice texts, numbers equal to a choice
    ("Thus, the answer is C (145°).", ANGLES, "145°", True),  # MathVista gpt4_2shot_solution/3
    ("The answer is (D) 150°.", ANGLES, "150°", False),
    ("\\boxed{C}", ANGLES, "145°", True),
    ("所以，∠BOC的度数为145°，选项为（C）。", ANGLES, "145°", True),  # full-width parentheses
    ("所以∠BOC的度数是C (145°)。", ANGLES, "145°", True),
    ("The correct option letter is D. The length is 150.", ANGLES, "150°", False),
    ("145", ANGLES, "145°", True),  # a bare value equal to one choice's number
    ("(D) 10√{3}m", HEIGHTS, "10√{3}m", False),  # MathVista mplugowl/523: not the 10m choice
    ("The height of the tree is 5√{3}m.", HEIGHTS, "5√{3}m", True),
    ("(B) No.", YES_NO, "No", True),  # MathVista mplugowl/369
    ("Yes, the function passes the horizontal line test.", YES_NO, "Yes", False),
    ("A: No", YES_NO, "No", True),  # a Q/A transcript's "A:", not option A
    ("(C) Yes\n(D) No", YES_NO, None, False),  # MathVista instruct_blip2: an echo of options, no choice
    ("The question cannot be determined from the given information.", YES_NO, None, False),  # "no" is not in "cannot"
    ("The answer is C.", YES_NO, None, False),  # no option C among two choices
    ("", YES_NO, None, False),
    ("If the squirrels decrease, the tick population would decrease. So it would decrease.", FOOD_WEB,
     "it would decrease", True),
    ("0.8", FRACTIONS, "\\frac{4}{5}", True),  # MathVista gpt4_2shot_code/443 (program output)
    ("The answer is B.\n\nQuestion: What is 2 + 2?\nThe answer is D.", ANGLES, "140°", False),  # invented follow-up
    # integers: units, separators, restatements, refusals
    ("There are 2 items sold less than 5 units in at least one store.", COUNT, "2", True),  # MathVista llava/16
    ("There are two bars with values larger than 4.", BARS, "2", True),  # MathVista llava/794: number words
    ("The answer is 2.0", COUNT, "2", True),  # MathVista's str(int('2.0')) rejects this
    ("The answer is 2.5", COUNT, "2.5", False),
    ("The age gap is 10 - 6 = 4 years.", AGE, "4", True),
    ("The maximum is **4**. It is reached in **2009**.", AGE, "4", True),  # Bard's bold answer
    ("I cannot determine the age gap between the two people.", AGE, None, False),  # a refusal is no answer
    ("The total is $1,000$.", VisionProblem("1000", "free_form", "integer"), "1000", True),
    ("Final answer: −3", VisionProblem("-3", "free_form", "integer"), "-3", True),  # Unicode minus
    # floats compare at the problem's precision
    ("x = 5.78, so d is about \\boxed{1.23} m", SPRING, "1.23", True),
    ("The answer is 1.25", SPRING, "1.25", True),  # round(1.25, 1) == 1.2 in binary floating point
    ("The answer is 1.3", SPRING, "1.3", False),
    ("The ratio is \\frac{21}{100}.", RATIO, "0.21", True),
    # lists
    ("The years are [2014, 2016].", YEARS, "[2014, 2016]", True),
    ("\\boxed{[2014,2016]}", YEARS, "[2014, 2016]", True),
    ("The answer is [2016, 2014].", YEARS, "[2016, 2014]", False),
    ("The answer is 2014 and 2016.", YEARS, None, False),
]


def yes_no(question: str, gold: str) -> VisionProblem:
    return VisionProblem(gold, "multi_choice", "text", ("Yes", "No"), question=question)


FEWER_TRUCKS = yes_no("Are there fewer tiny red trucks than small blue bicycles?", "Yes")
FEWER_BIKES = yes_no("Are there fewer big motorbikes than rubber choppers?", "No")
NEST = yes_no("Is this nest larger than a fist?", "No")
MEDIAN = yes_no("Is Cadet Blue the high median?", "Yes")
INJECTIVE = yes_no("Is the function (f: R to R) injective?", "No")
LUNG = VisionProblem("Superior lobes", "multi_choice", "text",
                     ("Inferior lobes", "Cardiac notch", "Superior lobes", "Middle lobe"),
                     question="Which is the largest part of the lung?")
GRASS = VisionProblem("grasshoppers", "multi_choice", "text",
                      ("garter snakes", "hognose snakes", "hawks", "grasshoppers"),
                      question="If all the grass died, what would be most affected?")
INCENTRE = VisionProblem("8", "multi_choice", "text", ("4", "5", "8", "16"), question="If BE+CF=8, what is EF?")
REGIONS = VisionProblem("R2", "multi_choice", "text", ("R1", "R2", "R5", "R3", "R4"), question="Which region is larger?")
FIFTHS = VisionProblem("\\frac{9}{5}", "multi_choice", "text", ("\\frac{6}{5}", "\\frac{7}{6}", "\\frac{9}{5}", "\\frac{15}{2}"))

# choices given only as a paraphrase (MathVista llava, llavar, llama_adapter responses)
PARAPHRASES = [
    # a yes/no question restated as a claim: affirmed, negated, or with the comparison turned round
    ("Based on the image, there are fewer tiny red trucks than small blue bicycles.", FEWER_TRUCKS, "Yes", True),
    ("There are not fewer tiny red trucks than small blue bicycles.", FEWER_TRUCKS, "No", False),
    ("Based on the image, there are more rubber choppers than big motorbikes.", FEWER_BIKES, "Yes", False),
    ("There are more big motorbikes than rubber choppers.", FEWER_BIKES, "No", True),
    ("The nest is smaller than a fist.", NEST, "No", True),  # the opposite comparison
    ("The number of big motorbikes is equal to the number of rubber choppers.", FEWER_BIKES, "No", True),
    ("The function (f: R to R) is not injective because it maps two points to one.", INJECTIVE, "No", True),
    ("The function (f: R to R) is injective, which is not obvious.", INJECTIVE, "Yes", False),  # "not" of a reason
    ("No, the function (f: R to R) is not injective.", INJECTIVE, "No", True),  # answer word, then the claim
    ("The high median of Cadet Blue is 20.", MEDIAN, None, False),  # the question's words, another claim
    ("Is Cadet Blue the high median?", MEDIAN, None, False),  # the question echoed
    ("The question doesn't provide enough information to compare big motorbikes and rubber choppers.",
     FEWER_BIKES, None, False),
    ("(C) Yes\n(D) No", INJECTIVE, None, False),  # an option letter outside the choices: no paraphrase looked for
    # a choice text in another inflection, or named in the main clause before a reason naming others
    ("The largest part of the lung is the superior lobe.", LUNG, "Superior lobes", True),
    ("If all the grass died, the most affected would be the grasshoppers, as they are the primary food source "
     "for the garter snakes and hognose snakes.", GRASS, "grasshoppers", True),
    # numeric choices: the number the last sentence answers
    ("Since BE + CF = 8, the length of EF is 8.", INCENTRE, "8", True),
    ("In the triangle, BF must be equal to 4.", INCENTRE, "4", False),
    ("The region R1 is larger than the region R2.", REGIONS, None, False),  # "R2" is no plain number
    ("So the distance between AB and CD is 1.8, which is not in the options.", FIFTHS, None, False),
]


@pytest.mark.parametrize(("response", "problem", "answer", "correct"), CASES + PARAPHRASES)
def test_grade_response(response, problem, answer, correct):
    grade = grade_response(response, problem)
    assert (grade.answer, grade.correct) == (answer, correct)


def test_problem_from_a_dataset_row():
    row = {"answer": 1.2, "question_type": "free_form", "answer_type": "float", "choices": None,
           "precision": 1.0, "question": "By what distance is the spring compressed?"}
    assert VisionProblem.from_doc(row) == VisionProblem("1.2", "free_form", "float", (), 1, row["question"])


def test_same_answer_in_different_words_is_one_string():
    """maj@n votes by answer text: a letter, a letter with its text and the bare text agree."""
    answers = {grade_response(r, ANGLES).answer for r in ("\\boxed{C}", "The answer is (C) 145°.", "145°")}
    assert answers == {"145°"}

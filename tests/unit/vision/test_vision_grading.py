"""MathVista answer extraction and matching: (response, problem) -> (answer, correct).

Cases marked "MathVista <run>/<pid>" are responses from lupantech/MathVista's stored
model outputs (../shared/data/mathvista_generations); the expected answers were read
by hand from the response text.
"""

from __future__ import annotations

import pytest

from lm_eval_passk.vision.grading import grade_response
from lm_eval_passk.vision.problem import VisionProblem

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
    ("The high median is Cadet Blue, as it is above the other bars.", MEDIAN, "Yes", True),  # mplugowl/200
    ("Cadet Blue is not the high median. The high median is Dark Blue.", MEDIAN, "No", False),  # llavar/596
    ("The function is not injective", INJECTIVE, "No", True),  # the question's aside "(f: R to R)" left out
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
    ("The region R1 is larger than the region R2.", REGIONS, "R1", False),  # restates the question: R1 is larger
    ("So the distance between AB and CD is 1.8, which is not in the options.", FIFTHS, None, False),
]

# where the answer is stated, and what only looks like one
STATED = [
    ("A is the correct option. If all the grass died, the grasshoppers would be most affected.",
     ANGLES, "135°", False),  # MathVista mplugowl/450: the letter, before the reasoning
    ('The correct answer is "C." The supply will stay the same.', ANGLES, "145°", True),  # adapter/370
    ("D. grasshoppers\n\nWith less grass, ... the hawks would be affected only indirectly.",
     GRASS, "grasshoppers", True),  # claude/279: the opening letter, not a choice named later
    ("Okay, based on the information provided:\n\nB", YES_NO, "No", True),  # claude/618
    ("The correct option letter for the year 2003 is C. Canola was the most expensive.",
     ANGLES, "145°", True),  # llavar/312
    ("If the heart is wider, then the answer is (A) Yes.\nIf it is not, then the answer is (B) No.\n"
     "Without measurements we cannot determine the correct option letter.", YES_NO, None, False),  # 705
    ("The correct answer is: Not enough information provided.", ANGLES, None, False),
    ("Then 180 - (B + A) = 50 degrees (angle at point C)\nso the angles are 148 and 50.", ANGLES, None, False),
    ("3.968626966596886", INCENTRE, None, False),  # a program's 3.97: not the choice "3"
    ("8.000000000000002", INCENTRE, "8", True),  # float noise of a program
    ("increase\nstay the same", FOOD_WEB, None, False),  # a program that printed several choices
    # free form: which number of the answer sentence is the answer
    ("The age gap between the two people is 4 years, with the younger being 30 and the older 34.",
     AGE, "4", True),  # llavar/438: the clause after the number elaborates
    ("The question requires an integer answer and the final value is 2. In 2008, 2011 and 2014 ...",
     BARS, "2", True),  # mplugowl/214
    ("The highest share was recorded in 2016, with 94% of schools having electricity.",
     VisionProblem("2016", "free_form", "integer", question="Which year recorded the highest share?"), "2016", True),
    ("The ratio of procedures in 2004 to that in 2007 is 3:1.",
     VisionProblem("1", "free_form", "integer", question="What is the ratio of A to B?"), "3", False),
    ("Three of the four are facing the camera, so three out of four, or 75%.",
     VisionProblem("0.8", "free_form", "float", precision=1, question="What is the fraction of females facing the camera?"),
     "0.75", True),
    ("Look at all the accuracy values and identify the smallest one.", BARS, None, False),  # "one" is no count
    ("So, the function has 1 zero.", VisionProblem("1", "free_form", "integer", question="How many zeros?"), "1", True),
    ("We need to look at the responses for each option. The number for each option is:\n\n0-10%: 2 responses\n"
     "11-16%: 17 responses\n\nThe highest number of responses is 17.", BARS, "17", False),  # chatgpt_ocr/664
    ("The value of f(0) is 0, as f(0) is the first value of f(x)=(x^2+2x+2)/(x-2).",
     VisionProblem("-2", "free_form", "integer", question="What is the value of f(0)?"), "0", False),  # mplugowl/832
    ("The expenditure has the greatest increase between 2000 and 2005.",
     VisionProblem("2005", "free_form", "integer", question="In which year is the greatest increase?"),
     None, False),  # llava/594: an interval, not a year
    ("The model has 9 dots, divided into 3 equal groups.\n\nTherefore, the final answer would be: 9, 3",
     VisionProblem("3", "free_form", "integer", question="There are (_) dots in each group."), None, False),  # 472
    ("The smallest value is 10. Therefore, the smallest bar in the chart is Bar 1 with a value of 10.",
     VisionProblem("1", "free_form", "integer", question="What is the value of the smallest bar?"),
     "10", False),  # minigpt4/401: "Bar 1" names a bar
    ("In the table, there are 3 methods that achieve an A-847 score higher than 20.0. The A-847 score is "
     "the average of the scores for the 847 observers.", VisionProblem(
         "3", "free_form", "integer", question="How many methods achieve an A-847 score higher than 20.0?"),
     "3", True),  # llavar/188: the opening sentence answers, the next one explains
    ("There are 3 bars with values larger than 4. Therefore, the count is 2.", BARS, "2", True),  # a conclusion
    ("The mode of the numbers is 10, which means most days had 10. On Friday, she did 5 cartwheels, and on "
     "Saturday, she did 9 cartwheels.", VisionProblem("10", "free_form", "integer", question=(
         "Lena counted her cartwheels each day. What is the mode of the numbers?")), "10", True),  # llavar/801
    ("The value of x is **1**.\n\nx + 150 = 180\n\nTherefore, the value of x is **30**.",
     VisionProblem("30", "free_form", "integer", question="What is the value of x?"), "30", True),  # bard/920
    ("The maximum rating is **70**. Other years range from **20** in 2005 to **60** in 2008.",
     VisionProblem("70", "free_form", "integer", question="What is the maximum rating?"), "70", True),  # bard/784
    ("The algorithm with the lowest accuracy is the one that accurately predicts 1 out of 10 times.",
     VisionProblem("1", "free_form", "integer", question="What is the lowest accuracy?"), "1", True),  # llava/284
    # multiple choice: options named, rejected, invented; a choice ending the answer clause
    ("Step 4) BD = CE (the altitudes of one triangle)\nStep 5) CD^2 = 5, so CD = √5\n\n"
     "Therefore, the length of CD is D.", ANGLES, "150°", False),  # claude/275: a closing letter
    ("\\boxed{\\frac{5}{3}\\pi}", VisionProblem("\\frac { 5 } { 3 } \\pi", "multi_choice", "text", (
        "\\frac { 5 } { 3 } \\pi", "\\frac { 3 } { 5 } \\pi")), "\\frac { 5 } { 3 } \\pi", True),  # spaced \\frac
    ("(H) RET U13B", VisionProblem("RFT U13B", "multi_choice", "text", ("ICL", "RFT k=100", "RFT U13B")),
     None, False),  # instruct_blip2/86: "13" is no value of a choice, (H) is no option
    ("(mix-up)\n(F) MuBERT (original)\n(G) MuBERT (BLM)", VisionProblem(
        "MuBERT", "multi_choice", "text", ("MusicLDM (original)", "MusicLDM (BLM)", "MuBERT")),
     None, False),  # instruct_blip2/895: an invented option list
    ("Option A is incorrect, because the area is 25. Option D is incorrect, because the area is 150.",
     ANGLES, None, False),  # mplugowl/315
    ("The length of a side of the square is 6, as it is a square root of 6 to the square.",
     VisionProblem("6", "multi_choice", "text", ("3", "3 \\sqrt 2", "6", "6 \\sqrt 2")), "6", True),  # llavar/82
    ("Given that DE is the median of ABC, and the length of ADE is 1, the length of ABC would be 2.",
     VisionProblem("2", "multi_choice", "text", ("1", "2", "3", "4")), "2", True),  # llava/426
]


@pytest.mark.parametrize(("response", "problem", "answer", "correct"), CASES + PARAPHRASES + STATED)
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


# ---------------------------------------------------------------------------------------
# Paraphrased answers: predicate yes/no questions, restated question stems, "X or Y"
# questions, comparisons, and the Yes/No word after an option letter (MathVista llava,
# llavar, llama_adapter, mplugowl responses). choice_restated and yes_no_led are called
# directly: extract_choice wires them in separately.

from lm_eval_passk.vision.paraphrase import choice_restated, yes_no_led  # noqa: E402

EVEN = yes_no("Is this an even function?", "Yes")
ODD = yes_no("Is this an odd function?", "No")
PERIODIC = yes_no("Is this a periodic function?", "No")
CONVEX = yes_no("is this function convex?", "No")
ARKANSAS = yes_no("Does Arkansas have a higher value than Indiana ?", "Yes")

PREDICATES = [
    # "Is this an even function?" restated in any word order: "this" leaves no subject to swap
    ("The function is even because it is a polynomial function with even degree.", EVEN, "Yes", True),
    ("The function is not convex, as it has a peak and a valley.", CONVEX, "No", True),
    # a general statement ("A periodic function repeats ...") is no claim about this function
    ("The function f(x) = 1/x is not a periodic function. A periodic function repeats its values after a "
     "certain interval.", PERIODIC, "No", True),
    ("Based on the image, the value of Arkansas is higher than Indiana.", ARKANSAS, "Yes", True),
    # must stay unanswered: a hedge, an indirect question, an echo
    ("Odd functions are typically functions that do not have a clear or simple pattern, or they may not follow "
     "a typical mathematical rule. In this case, the given function is not clearly odd, as it is described as a "
     "curve on a graph. To determine if it is odd, one would need to analyze its specific properties.",
     ODD, None, False),
    ("The question does not provide a function to evaluate whether it is convex or not.", CONVEX, None, False),
    ("Is this an even function?", EVEN, None, False),
]


@pytest.mark.parametrize(("response", "problem", "answer", "correct"), PREDICATES)
def test_predicate_question_restated(response, problem, answer, correct):
    grade = grade_response(response, problem)
    assert (grade.answer, grade.correct) == (answer, correct)


FERNS = VisionProblem("decrease", "multi_choice", "text", ("decrease", "can't tell", "stay same", "increase"),
                      question="In the diagram of the food web shown, if the number of ferns decrease, "
                               "the supply of salmon will most likely?")
TICKS = VisionProblem("it would decrease", "multi_choice", "text",
                      ("increase", "fluctuate", "it would decrease", "stay the same "),
                      question="If the Red squirrel and deer mouse population were to decrease, "
                               "what would happen to the deer tick population?")
LIONS = VisionProblem("It would also decrease.", "multi_choice", "text",
                      ("Unable to determine.", "Nothing would happen.", "It would also decrease.",
                       "It would increase."),
                      question="What would happen to the Lion population if the Gum Tree population decreased?")
CATERPILLARS = VisionProblem("plants increase", "multi_choice", "text",
                             ("plants decrease", "plants increase", "nothing happens", "none of the above"),
                             question="What happens if caterpillars decrease?")
ALGAE = VisionProblem("Crabs and limpets will decrease", "multi_choice", "text",
                      ("Crabs and limpets will decrease", "Dolphins will increase", "Sea gulls will become extinct",
                       "Star fish will increase"),
                      question="According to the food web, what will happen if all the algae died due to pesticides?")
PRICE = VisionProblem("shortage", "multi_choice", "text", ("shortage", "surplus"),
                      question="Look at the table. Then answer the question. At a price of $320, is there a "
                               "shortage or a surplus?'")
MOON = VisionProblem("Sun", "multi_choice", "text", ("Sun", "It varies", "They are equal in size", "Moon"),
                     question="Which is larger the moon or the sun?")
SOLUTIONS = VisionProblem("Solution A", "multi_choice", "text",
                          ("neither; their concentrations are the same", "Solution A", "Solution B"),
                          question="The diagram below is a model of two solutions. Which solution has a higher "
                                   "concentration of blue particles?")

RESTATED = [
    # the question's stem continued by a choice, though the question says "decrease" itself
    ("If the number of ferns decreases, the supply of salmon will most likely decrease as well.", FERNS, "decrease"),
    ("If the Red squirrel and deer mouse population were to decrease, the deer tick population would likely "
     "decrease as well. This is because deer ticks feed on these mammals.", TICKS, "it would decrease"),
    ("If the Gum Tree population decreased, the Lion population would also decrease, as they depend on it.",
     LIONS, "It would also decrease."),
    ("If caterpillars decrease, plants will increase.", CATERPILLARS, "plants increase"),
    # one of the alternatives an "X or Y?" question offers; the first side of a comparison
    ("At a price of $320, there is a shortage. The demand quantity is greater than the supply quantity.",
     PRICE, "shortage"),
    ("The sun is larger than the moon.", MOON, "Sun"),
    ("The moon is smaller than the sun.", MOON, "Sun"),  # the opposite comparison: the second side
    ("Solution A has a higher concentration of blue particles than Solution B.", SOLUTIONS, "Solution A"),
    # must stay unanswered
    ("If the number of ferns decreases, the supply of salmon will most likely not decrease.", FERNS, None),
    ("If the number of ferns decrease, the supply of salmon will most likely?", FERNS, None),  # the question echoed
    ("If the number of ferns decreases, the supply of salmon will change.", FERNS, None),  # no choice added
    ("If caterpillars decrease, it can lead to a decrease in plants.", CATERPILLARS, None),  # not "plants decrease"
    ("If all the algae died due to pesticides, the food web would be disrupted, leading to a decrease in the "
     "populations of crabs and limpets.", ALGAE, None),
    ("The sun is not larger than the moon.", MOON, None),
    ("At a price of $320, there is a shortage. At a price of $320, there is a surplus.", PRICE, None),  # disagree
    ("Salmon eat insects that live among ferns.", FERNS, None),  # no restatement of the question
]


@pytest.mark.parametrize(("response", "problem", "answer"), RESTATED)
def test_question_restated_with_a_choice(response, problem, answer):
    assert choice_restated(response, problem.question, problem.choices) == answer


LED = [
    ("B. No. The nest in the image is too small to fit in the palm of a hand.", NEST, "No"),
    ("C) No, Dark Blue is not the high median value.", yes_no("Is Dark Blue the high median?", "No"), "No"),
    ("A - No, the windows in the house don't have a geometric shape.", YES_NO, "No"),  # the word, not the letter
    ("A. Yes, the number of small yellow metallic choppers is less.", FEWER_TRUCKS, "Yes"),
    ("(C) Yes\n(D) No", INJECTIVE, None),  # an echo of the options
    ("The nest is small. B. No", NEST, None),  # not the lead
    ("B. None of the above", NEST, None),
]


@pytest.mark.parametrize(("response", "problem", "answer"), LED)
def test_yes_no_after_an_option_letter(response, problem, answer):
    assert yes_no_led(response, problem.choices) == answer

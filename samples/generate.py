#!/usr/bin/env python3
"""generate.py - synthetic resident evaluations for evalbias (never real ones).

Writes a CSV that looks like a MedHub / New Innovations "evaluation export" of a
fictional program, Riverside General Internal Medicine Residency, with a
planted, known gender bias in the narrative comments, and (with --planted) a
list of every planted term and clinical false-positive trap it wrote, so the
matcher, the statistics and the reports can be checked against ground truth.

Every name is made up by pairing generic first and last names at random; no
row describes a real person, evaluator or patient.

Standard library only, no network, deterministic: the same options and --seed
give byte-identical files on any platform with Python 3.8+.

    python3 samples/generate.py --seed 61 --out samples/evaluations.csv \\
        --planted samples/planted.csv
    python3 samples/generate.py --size-mb 1024 --no-mess --out /tmp/big.csv
    python3 samples/generate.py --verify samples/evaluations.csv \\
        --planted samples/planted.csv
    python3 samples/generate.py --long-from samples/evaluations.csv \\
        --out samples/evaluations-long.csv --roster-out samples/roster.csv

See samples/README.md for what the files contain.
"""

import argparse
import csv
import math
import random
import re
import sys

PROGRAM = "Riverside General Internal Medicine Residency"

# The export's columns. Real exports often end their header with empty
# columns (a spreadsheet's stray selection); in "mess" mode the header and
# every row end with two of them.
HEADER = [
    "Evaluation ID", "Evaluation Form", "Rotation", "Site", "Academic Year",
    "Evaluation Date", "Evaluator", "Evaluator Gender", "Resident",
    "Resident Gender", "PGY", "Overall Rating", "Strengths",
    "Areas for Improvement", "Overall Comments",
]
TRAILING_EMPTY = 2
COL_S, COL_A, COL_O = "Strengths", "Areas for Improvement", "Overall Comments"
COMMENT_COLS = (COL_S, COL_A, COL_O)

# ============================================================ people ======

WOMEN_FIRST = [
    "Maria", "Emily", "Sarah", "Priya", "Aisha", "Hannah", "Grace", "Olivia",
    "Mei", "Fatima", "Laura", "Rachel", "Jessica", "Ana", "Nadia", "Claire",
    "Leah", "Sofia", "Amara", "Julia", "Megan", "Chloé", "Inés", "Yuki",
]
MEN_FIRST = [
    "James", "Michael", "David", "Daniel", "Kevin", "Ahmed", "Wei", "Carlos",
    "Samuel", "Ryan", "Matthew", "Andre", "Omar", "Thomas", "Benjamin",
    "Luis", "Ethan", "Nikhil", "Kwame", "Jonah", "Patrick", "Raúl", "Noah",
]
NEUTRAL_FIRST = ["Alex", "Jordan", "Taylor", "Casey", "Riley", "Morgan",
                 "Sam", "Avery"]
LAST = [
    "Nguyen", "Patel", "Kim", "Garcia", "Johnson", "Williams", "Brown", "Chen",
    "Okafor", "Martínez", "Hernández", "O'Brien", "Lee", "Smith", "Haddad",
    "Cohen", "Rossi", "Novak", "Kowalski", "Singh", "Ali", "Adeyemi", "Tanaka",
    "Schmidt", "Larsen", "Brennan", "Ortiz", "Shah", "Park", "Murphy", "Weiss",
    "Fischer", "Mensah", "Costa", "Ivanova", "Müller", "Dubois", "Hartley",
    "Ramírez", "Baker", "Foster", "Reyes", "Yilmaz", "Kaplan", "Osei",
    "Lindqvist", "Moreau", "Quinn", "Abbott", "Sato", "Varga", "Byrne",
]
# Names the brief asks to appear (accented letters in the Resident column).
FIXED_RESIDENTS = [("Zoë", "Hartley", "W"), ("José", "Ramírez", "M"),
                   ("Renée", "Dubois", "W")]

# Cohort labels as they come out of real systems: several spellings of the
# same answer, stray spaces, blanks. Each person has a usual label and, now
# and then, another one (the record was merged from another form).
LABELS = {
    "W": (["F", "Female", "female "], [0.55, 0.35, 0.10]),
    "M": (["M", "Male", "male"], [0.55, 0.35, 0.10]),
    "N": (["Non-binary", "Nonbinary"], [0.8, 0.2]),
    "U": ([""], [1.0]),
}
LABEL_BLANK_P = 0.03     # a known person exported with a blank label
LABEL_OTHER_P = 0.12     # the person's label spelled another way

ROTATIONS = [
    # rotation, site, form, weight
    ("Inpatient Wards", "Riverside General Hospital",
     "IM Inpatient Wards - Faculty Evaluation of Resident", 30),
    ("MICU", "Riverside General Hospital",
     "ICU - Faculty Evaluation of Resident", 10),
    ("CCU", "Riverside General Hospital",
     "ICU - Faculty Evaluation of Resident", 6),
    ("Night Float", "Riverside General Hospital",
     "Night Float - Faculty Evaluation of Resident", 10),
    ("Continuity Clinic", "Eastbrook Community Health Center",
     "Ambulatory - Preceptor Evaluation of Resident", 16),
    ("Cardiology Consults", "Riverside General Hospital",
     "Consult Service - Faculty Evaluation of Resident", 7),
    ("Hematology/Oncology", "Riverside Cancer Institute",
     "Consult Service - Faculty Evaluation of Resident", 7),
    ("Emergency Medicine", "Riverside General Hospital",
     "EM Rotation - Faculty Evaluation of Resident", 6),
    ("Geriatrics", "Maple Grove Senior Care",
     "Ambulatory - Preceptor Evaluation of Resident", 5),
]
ACADEMIC_YEARS = ["2022-2023", "2023-2024"]

# ========================================================= fillers ======
# Clinical vocabulary substituted into templates when the pools are built.

FILL = {
    "cond": ["DKA", "decompensated heart failure", "an upper GI bleed",
             "septic shock", "a COPD exacerbation", "new-onset atrial fibrillation",
             "acute kidney injury", "severe hyponatremia", "alcohol withdrawal",
             "community-acquired pneumonia", "an NSTEMI", "a submassive PE",
             "cirrhosis with SBP", "hepatic encephalopathy", "pyelonephritis",
             "C. diff colitis", "a new diagnosis of AML", "hypercalcemia of malignancy",
             "syncope", "HHS", "an asthma exacerbation", "cellulitis"],
    "topic": ["heart failure management", "anticoagulation", "DKA protocols",
              "the sepsis bundle", "electrolyte disorders", "acid-base interpretation",
              "antibiotic stewardship", "COPD management", "inpatient glycemic control",
              "complications of cirrhosis", "hyponatremia", "opioid prescribing",
              "delirium prevention", "the AKI workup", "transfusion thresholds",
              "ECG interpretation", "pulmonary embolism risk stratification"],
    "proc": ["paracentesis", "thoracentesis", "lumbar puncture", "central line",
             "arterial line", "ultrasound-guided IV"],
    "a_proc": ["a paracentesis", "a thoracentesis", "a lumbar puncture", "a central line",
               "an arterial line", "an ultrasound-guided IV"],
    "procs": ["paracenteses", "thoracenteses", "lumbar punctures", "central lines",
              "arterial lines", "ultrasound-guided IVs"],
    "med": ["heparin drips", "insulin infusions", "vancomycin", "DOACs",
            "loop diuretics", "steroids in COPD", "QT-prolonging drugs",
            "potassium repletion"],
    "colleague": ["Dr. Lee", "J. Smith", "Dr. A. Patel", "the night float attending",
                  "Dr. M. O'Neil", "K. Brennan, NP", "Dr. Lee (cardiology)"],
    "age_pt": ["67-year-old man", "54-year-old woman", "81-year-old man",
               "72-year-old woman", "45 y/o man", "38-year-old woman"],
    "num": ["14", "16", "18", "twelve", "20"],
    "time": ["10 a.m.", "noon", "9:30", "the end of rounds"],
}

PRONOUNS = {
    "she": {"He": "She", "he": "she", "him": "her", "his": "her", "His": "Her"},
    "he": {"He": "He", "he": "he", "him": "him", "his": "his", "His": "His"},
    # Residents with a blank or non-binary label are referred to by name.
    "name": {"He": "{N}", "he": "{N}", "him": "{N}", "his": "{N}'s",
             "His": "{N}'s"},
}

# ================================================== neutral sentences ======
# Ordinary evaluation prose. None of it may contain a planted term or a word
# a gendered-language lexicon is likely to list (checked at start-up against
# FORBIDDEN), so every lexicon hit on a planted term is one the generator
# recorded. " -- " is a dash placeholder (rendered as -, en or em dash).

NEUTRAL_S = [
    "{He} knew {his} patients well and anticipated overnight issues before sign-out.",
    "Presentations on rounds were concise and followed a clear structure -- one-liner, overnight events, assessment and plan.",
    "Good fund of knowledge for level, especially regarding {topic}.",
    "Managed a patient with {cond} appropriately and escalated care when needed.",
    "Notes were complete and discharge summaries went out on time.",
    "Took time on call days to teach the medical students about {topic}.",
    "Built broad differentials and used them to guide a focused workup.",
    "Performed {a_proc} under supervision with good sterile technique and a clear consent discussion.",
    "Handled cross-cover pages calmly and triaged them well.",
    "Ran a family meeting for a patient with {cond} and explained the plan in plain language.",
    "Used point-of-care ultrasound to guide volume management in a patient with {cond}.",
    "Responded quickly to a rapid response and coordinated the team until the ICU arrived.",
    "Brought a recent trial on {topic} to rounds and summarized it in two minutes.",
    "Written sign-out (I-PASS) was clear and actionable.",
    "Calls consults with a specific question and a clear sense of urgency.",
    "Reconciled home medications at discharge and caught a duplicate anticoagulant.",
    "Good use of risk scores at the bedside (e.g., Wells, CURB-65, HAS-BLED) to support decisions.",
    "Strong clinical reasoning for {a_PGY}.",
    "Open to feedback and put it into practice the next day.",
    "A true team player who picked up admissions when co-residents' lists were long.",
    "Recognized early signs of {cond} in a patient admitted for something else.",
    "Communicated well with {colleague} and the consult teams.",
    "Very efficient on admission nights: H&P, orders and note done within the hour.",
    "Good judgment about when to call the attending overnight.",
    'The charge nurse told me "{he} always calls back," which says a lot.',
    'When the rapid response was called, {he} said "I\'ll handle it" and then did exactly that.',
    "Documentation is accurate and readable; the A&P is organized by problem.",
    "Knows when to slow down and re-examine the patient.",
    "Handled a difficult goals-of-care conversation with a patient with {cond} with tact.",
    "Pre-rounds efficiently and has data ready before 8 a.m.",
    "Carried {num} patients on the busiest days without losing track of details.",
    "Presented a morning report case on {cond} that generated a great discussion.",
    "{His} read of the ECG on a patient with chest pain was spot on.",
    "Interprets ABGs and acid-base problems accurately, i.e. with a stepwise approach.",
    "Good bedside exam; picked up a new murmur that changed management.",
    "Very receptive to teaching and asks good questions.",
    "Pt w/ h/o CHF and CKD admitted w/ SOB -- {he} had the diuretic plan ready by {time}.",
    "Coordinated a safe discharge for a patient with {cond} who had limited support at home.",
    "Kept the team on schedule during a day with {num} patients and two new admissions.",
]

NEUTRAL_A = [
    "Work on efficiency with notes so they are finished before afternoon sign-out.",
    "Continue to broaden the differential for {cond}.",
    "Would benefit from reading more about {topic}.",
    "Commit to an assessment and plan before presenting to the attending.",
    "See the sickest patients first when pre-rounding.",
    "Discharge summaries were sometimes late; aim for same-day completion.",
    "Review the indications and monitoring for {med}.",
    "Could be more concise on rounds -- lead with the one-liner and overnight events.",
    "Close the loop with consultants and document their recommendations in the note.",
    "Keep working on time management on admission nights.",
    "Continue to build procedural volume, especially {procs}.",
    "Update the problem list daily so cross-cover has an accurate picture.",
    "Be mindful of duplicate labs; check what was already drawn in the ED.",
    "Would like to see more teaching of the students on call days.",
    "Read about each admission the same evening.",
    "Anticipate discharge barriers earlier (PT/OT, home O2, prior auth).",
    "When presenting, separate what you know from what you think.",
    "Use the I-PASS format consistently at night sign-out.",
    "Present a plan for each problem rather than a list of data.",
    "Clarify code status on every admission.",
    "Double-check weight-based dosing, e.g. heparin and enoxaparin.",
    "Nothing major -- keep doing what you are doing.",
    "Spend a little more time explaining the plan to patients at discharge.",
    "Delegate more tasks to the intern so the team runs smoothly.",
    "Check that K > 5.5 and SBP <90 trigger a call, per the cross-cover guidelines.",
    "Review {his} own imaging before reading the radiology report.",
]
SHORT_A = ["None.", "N/A", "none at this time", "See above.", "Keep reading!", "-",
           "n/a"]

NEUTRAL_O = [
    "Solid {PGY}, on track for level.",
    "Meets expectations for level. A pleasure to work with.",
    "Looking forward to working with {him} again.",
    "Good month on {ROT}.",
    "Would be glad to have {him} on my team again.",
    "Progressing well toward the next level of supervision.",
    "I would recommend {him} without hesitation for a chief resident position.",
    "Discussed this feedback with {him} in person at the end of the block.",
    "{N} had a strong block on {ROT} and managed a high census well.",
    "Thanks for a great month!",
    "Overall performing at the expected level for {a_PGY}.",
    "Agree with the comments from {colleague}.",
    "Milestones reviewed with the APD; no concerns.",
    "Ready for more responsibility next year.",
    "I enjoyed working with {him}.",
    "Keep up the good work.",
    "Will make a good senior resident.",
    "Comments echoed by {colleague}, who also worked with {him} this block.",
]
SHORT_O = ["+1 to the comments above.", "Great month!!! <3", "see above",
           "Thanks for a great month \U0001F642", "Agree with above."]

OPENERS = [
    "{N} had a good block on {ROT}.",
    "I worked with {N} for two weeks on {ROT}.",
    "I supervised {N} on {ROT} (day team, 2 weeks).",
    "{N} was on my team for the second half of the {ROT} block.",
]

# ====================================================== planted terms ======
# term -> (category, surfaces with weights, split surfaces for "mess" mode).
# The term is the canonical (lexicon) form; the surface is what is written.

TERMS = {
    # personality / temperament criticism (more about women)
    "bossy": ("personality", [("bossy", 1)], []),
    "abrasive": ("personality", [("abrasive", 1)], []),
    "emotional": ("personality", [("emotional", 6), ("overly emotional", 2),
                                  ("over-emotional", 2)], []),
    "aggressive": ("personality", [("aggressive", 1)], []),
    "pushy": ("personality", [("pushy", 1)], []),
    "too assertive": ("personality", [("too assertive", 1)],
                      ["too\n assertive", "too\nassertive", "too   assertive"]),
    "dramatic": ("personality", [("dramatic", 1)], []),
    # confidence / voice (more about women)
    "lacks confidence": ("confidence", [("lacks confidence", 1)],
                         ["lacks\nconfidence", "lacks  confidence"]),
    "needs to be more confident": ("confidence",
                                   [("needs to be more confident", 1)],
                                   ["needs to be more\nconfident",
                                    "needs to be  more confident"]),
    "too quiet": ("confidence", [("too quiet", 1)], ["too\r\nquiet", "too  quiet"]),
    "soft-spoken": ("confidence", [("soft-spoken", 3), ("soft spoken", 1)], []),
    "speak up": ("confidence", [("speak up", 1)], ["speak\nup"]),
    # grindstone / effort (more about women)
    "hardworking": ("grindstone", [("hardworking", 3), ("hard-working", 3),
                                   ("hard working", 1)], []),
    "diligent": ("grindstone", [("diligent", 1)], []),
    "thorough": ("grindstone", [("thorough", 1)], []),
    "dedicated": ("grindstone", [("dedicated", 1)], []),
    "conscientious": ("grindstone", [("conscientious", 1)], []),
    # communal (more about women)
    "caring": ("communal", [("caring", 1)], []),
    "compassionate": ("communal", [("compassionate", 1)], []),
    "warm": ("communal", [("warm", 1)], []),
    "pleasant": ("communal", [("pleasant", 1)], []),
    "well-liked": ("communal", [("well-liked", 3), ("well liked", 1)], []),
    # standout / ability (more about men)
    "outstanding": ("standout", [("outstanding", 1)], []),
    "exceptional": ("standout", [("exceptional", 1)], []),
    "brilliant": ("standout", [("brilliant", 1)], []),
    "bright": ("standout", [("bright", 1)], []),
    "superb": ("standout", [("superb", 1)], []),
    "natural leader": ("standout", [("natural leader", 1)],
                       ["natural\nleader", "natural  leader"]),
    # not planted, only ever inside a clinical trap
    "sensitive": ("communal", [("sensitive", 1)], []),
}
CATEGORIES = ["personality", "confidence", "grindstone", "communal", "standout"]
PGY_TEXT = {1: ("PGY-1", "PGY1", "intern"), 2: ("PGY-2", "PGY2", "second-year resident"),
            3: ("PGY-3", "PGY3", "third-year resident")}

# Expected planted sentences per evaluation, by resident group, before the
# per-resident multiplier. The ratio is 2 in every category; residents with a
# blank or non-binary label get the mean of the two (no effect planted).
RATES = {
    "personality": {"W": 0.12, "M": 0.06},
    "confidence": {"W": 0.18, "M": 0.09},
    "grindstone": {"W": 0.44, "M": 0.22},
    "communal": {"W": 0.32, "M": 0.16},
    "standout": {"W": 0.22, "M": 0.44},
}
RATE_NEGATED = 0.07      # negated personality terms, same for everyone
RATE_TRAP = 0.30         # clinical false-positive traps, same for everyone
RATE_WELL_LIKED = {"W": 0.04, "M": 0.02}   # well-liked (communal), also 2x
RESIDENT_SIGMA = 0.35    # log-normal spread of residents' multipliers

# Which comment column a planted sentence goes to (weights S, A, O).
PLACE = {
    "personality": (0, 7, 3), "confidence": (0, 8, 2), "grindstone": (7, 0, 3),
    "communal": (7, 0, 3), "standout": (5, 0, 5), "negated": (5, 0, 5),
    "trap": (7, 0, 3), "well-liked": (4, 0, 6),
}

# Terms each adjective template accepts.
PERS_ADJ = ["bossy", "abrasive", "emotional", "aggressive", "pushy",
            "too assertive", "dramatic"]
GRIND_ADJ = ["hardworking", "diligent", "thorough", "dedicated", "conscientious"]
COMM_ADJ = ["caring", "compassionate", "warm", "pleasant"]
STAND_PERSON = ["outstanding", "exceptional", "brilliant", "bright", "superb"]
STAND_WORK = ["outstanding", "exceptional", "superb"]

# Slot syntax: {T} surface, {T^} capitalised, {a_T} "a/an surface",
# {A_T} "A/An surface", {T_UP} upper case; {T2} etc. for a second term.
PLANTED_TEMPLATES = {
    "personality": [
        ("Some nurses have described {him} as {T} when pages are not answered quickly.", PERS_ADJ),
        ("{He} can come across as {T} during family meetings; let the family finish before responding.", PERS_ADJ),
        ("At times {he} was {T} with consultants, which made coordination harder.", PERS_ADJ),
        ("Feedback from the night team was that {he} can be {T} at sign-out.", PERS_ADJ),
        ("{His} tone with the pharmacy team was perceived as {T} on more than one occasion.", PERS_ADJ),
        ("Work on tone -- {he} was {T} with a junior resident during a busy admission night.", PERS_ADJ),
        ("{He} has been described as {T} by the ICU nurses; we talked about how that lands with the team.", PERS_ADJ),
        ("Was a bit {T} when the plan changed after rounds.", ["emotional", "dramatic", "pushy", "bossy"]),
    ],
    "confidence": [
        ("{He} {T} presenting plans on rounds.", ["lacks confidence"]),
        ("Still {T} when calling consults overnight.", ["lacks confidence"]),
        ("{N} knows the material but {T} in {his} own assessments.", ["lacks confidence"]),
        ("{He} {T} in {his} clinical reasoning -- the reasoning is usually right.", ["needs to be more confident"]),
        ("{T^} committing to a plan overnight.", ["needs to be more confident"]),
        ("{He} is {T} on rounds and {his} good ideas get lost.", ["too quiet"]),
        ("{T^} in family meetings; should take over more of the discussion.", ["too quiet"]),
        ("{He} is {T}, which sometimes makes it hard for the team to hear {his} plan.", ["soft-spoken"]),
        ("{T^} with patients; on a busy unit {he} should project more.", ["soft-spoken"]),
        ("{He} should {T} more when {he} disagrees with the plan.", ["speak up"]),
        ("Encouraged {him} to {T} during codes and rapid responses.", ["speak up"]),
        ("Needs to {T} on rounds when {he} has a concern about a patient.", ["speak up"]),
    ],
    "grindstone": [
        ("{He} is {a_T} resident who follows up on every lab and consult recommendation.", GRIND_ADJ),
        ("Very {T} with {his} notes and sign-out.", GRIND_ADJ),
        ("{T^} -- routinely the last to leave after making sure the team's tasks were done.", GRIND_ADJ),
        ("The nurses on 5 West commented on how {T} {he} was with discharge planning.", GRIND_ADJ),
        ("Extremely {T} on a busy {ROT} month.", GRIND_ADJ),
        ("{N} is {a_T} intern and never leaves loose ends for the night team.", GRIND_ADJ),
        ("{His} H&Ps are {T} and the medication reconciliation is always done.", ["thorough"]),
        ("{He} is not only {T} but also efficient.", GRIND_ADJ),   # "not only": no negation
    ],
    "communal": [
        ("{He} is {T} with patients and families, and it shows in how they talk about {him}.", COMM_ADJ),
        ("Patients consistently described {him} as {T}.", COMM_ADJ),
        ("{His} {T} bedside manner made a hard conversation about prognosis go well.", ["caring", "compassionate", "warm", "pleasant"]),
        ("Very {T} with the medical students.", COMM_ADJ),
        ("{A_T} presence on a stressful unit.", COMM_ADJ),
        ("{He} was {T} with a frightened patient with {cond} and {his} family.", ["caring", "compassionate", "warm"]),
    ],
    "standout": [
        ("{N} is {a_T} resident.", STAND_PERSON),
        ("{He} is {a_T} clinician with a broad differential and sound judgment.", STAND_PERSON),
        ("{T^} fund of knowledge, well beyond {his} level.", STAND_WORK),
        ("{His} presentations were {T} and {his} plans well reasoned.", STAND_WORK),
        ("{T_UP} job this month!", STAND_WORK),
        ("{He} is {T} and asks the questions that move the team forward.", ["bright", "brilliant", "exceptional", "outstanding"]),
        ("No doubt {he} is {a_T} clinician.", STAND_PERSON),   # "no doubt": no negation
        ("I would recommend {him} without hesitation; {he} is {a_T} physician.", STAND_PERSON),  # negation cue, different clause
        ("{He} is a {T} on the team and the interns follow {his} lead.", ["natural leader"]),
        ("{A_T} who runs rounds efficiently.", ["natural leader"]),
        ("{N} is a {T}; {he} set the tone for the whole team.", ["natural leader"]),
    ],
    "negated": [
        ("{He} is never {T} with the nursing staff, even on the busiest call nights.", PERS_ADJ),
        ("Direct without being {T}.", PERS_ADJ),
        ("{He} isn't {T}; {he} advocates clearly for {his} patients.", PERS_ADJ),
        ("Not {T} at all, despite a very heavy census.", PERS_ADJ),
        ("{He} was not {T} even when the ED pushed back on an admission.", PERS_ADJ),
        ("Firm with consultants but never {T}.", PERS_ADJ),
    ],
    "well-liked": [
        ("{He} is {T} by the nurses and the other residents.", ["well-liked"]),
        ("{T^} on the unit; the team works well around {him}.", ["well-liked"]),
    ],
}

# Two adjectives in one sentence ("hard-working and caring"); both recorded.
PAIR_TEMPLATES = [
    "{He} is {T} and {T2}.",
    "{T^} and {T2} -- a pleasure to have on the team.",
    "Patients and nurses alike found {him} {T} and {T2}.",
]

# Clinical false-positive traps: the word would be a lexicon hit, but here it
# describes a treatment, a finding, a patient or someone else. [[...]] marks
# the phrase a guard should recognise (recorded as the trap's surface).
TRAPS = [
    ("Recognized septic shock early and started [[aggressive fluid resuscitation]] with frequent reassessment.", "aggressive"),
    ("Ordered [[aggressive diuresis]] for a patient with decompensated heart failure and tracked daily weights and creatinine.", "aggressive"),
    ("Managed tumor lysis risk well in a patient with [[an aggressive lymphoma]].", "aggressive"),
    ("Stayed calm when a patient with delirium [[became aggressive toward staff]], and tried de-escalation before medications.", "aggressive"),
    ("Provided [[emotional support for the family]] after a difficult goals-of-care meeting.", "emotional"),
    ("Recognized that [[the patient's emotional state]] was affecting pain control and involved palliative care.", "emotional"),
    ("Recommended [[warm compresses]] for superficial thrombophlebitis at an old IV site.", "warm"),
    ("Documented that the [[extremities were warm and well perfused]] before transfer.", "warm"),
    ("Gave a [[warm handoff]] to the night float team for a patient at risk of decompensation.", "warm"),
    ("Noted the blood culture isolate was [[sensitive to penicillin]] and narrowed antibiotics the same day.", "sensitive"),
    ("Narrowed to ceftriaxone for a [[pan-sensitive]] E. coli bacteremia.", "sensitive"),
    ("Admitted [[a pleasant {age_pt}]] with {cond} and had the admission done before midnight.", "pleasant"),
    ("Recognized [[bright red blood per rectum]] as a sign of a brisk lower GI bleed and called GI early.", "bright"),
    ("Followed up on [[outstanding labs]] and imaging before sign-out every day.", "outstanding"),
    ("Kept a running list of [[outstanding consults]] for the team.", "outstanding"),
    ("Was [[caring for a full census]] of {num} patients most days and still finished notes before sign-out.", "caring"),
    ("Used [[the dedicated procedure ultrasound]] to mark the site before the {proc}.", "dedicated"),
    ("[[Encouraged the nurses to speak up]] about safety concerns during huddles.", "speak up"),
    ("Identified [[a dramatic drop in hemoglobin]] and activated the massive transfusion protocol.", "dramatic"),
    ("Noticed [[a dramatic improvement]] in oxygenation after diuresis and weaned O2 appropriately.", "dramatic"),
]

# Words the neutral prose must not contain: the planted terms and their
# relatives, and the common lexicon words of the literature (standout,
# ability, grindstone, agentic, communal, confidence). Checked at start-up.
FORBIDDEN = re.compile(
    r"\b(bossy|abrasive|emotion\w*|aggress\w*|pushy|assert\w*|dramatic\w*|"
    r"confiden\w*|quiet\w*|soft[- ]?spoken|speak\w*\s+up|hard[- ]?work\w*|"
    r"diligen\w*|thorough\w*|dedicat\w*|conscientious\w*|caring|compassion\w*|"
    r"warm\w*|pleasant\w*|well[- ]?liked|outstanding|exceptional\w*|brillian\w*|"
    r"bright\w*|superb\w*|natural\w*|leader\w*|excellen\w*|wonderful|remarkabl\w*|"
    r"amazing|terrific|fabulous|extraordinar\w*|talent\w*|intelligen\w*|smart\w*|"
    r"gifted|skill\w*|clever|insightful|competen\w*|capable|reliab\w*|careful\w*|"
    r"meticulous|dependab\w*|independen\w*|autonom\w*|decisive\w*|ambitio\w*|"
    r"kind|sensitiv\w*|empath\w*|sympath\w*|nurtur\w*|helpful|lovely|cheerful|"
    r"delightful|enthusias\w*|shrill|strident|abrupt|intimidating)\b",
    re.IGNORECASE)

# ===================================================== random helpers ======


def poisson(rng, limit):
    """A Poisson draw by Knuth's method, given limit = exp(-mean). The means
    here are small (< 1), so it takes one or two uniforms."""
    k, p = 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick_weighted(rng, items, weights):
    return rng.choices(items, weights)[0]


def article(word):
    return "an" if word[:1].lower() in "aeiou" else "a"


def cap(s):
    return s[:1].upper() + s[1:]


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def expand(template, pron, rng):
    """Substitute pronouns and clinical fillers; leave per-row and slot
    placeholders ({N}, {ROT}, {PGY}, {T} ...) for later."""
    def repl(m):
        key = m.group(1)
        if key in pron:
            return pron[key]
        if key in FILL:
            return rng.choice(FILL[key])
        return m.group(0)
    return _PLACEHOLDER.sub(repl, template)


def expand_pool(templates, pron, rng, per_template=6, grouped=False):
    """Each template expanded a few times with different fillers: a flat list,
    or (grouped) one list of variants per template, so a cell can draw
    distinct templates and never repeat a sentence."""
    pool = []
    for t in templates:
        seen, variants = set(), []
        for _ in range(per_template):
            s = expand(t, pron, rng)
            if s not in seen:
                seen.add(s)
                variants.append(s)
        if grouped:
            pool.append(variants)
        else:
            pool += variants
    return pool


def check_forbidden():
    """Neutral prose must contain no lexicon-like word (see FORBIDDEN)."""
    bad = []
    for pool in (NEUTRAL_S, NEUTRAL_A, NEUTRAL_O, SHORT_A, SHORT_O, OPENERS,
                 PAIR_TEMPLATES):
        for t in pool:
            if FORBIDDEN.search(t):
                bad.append(t)
    for cat, templates in PLANTED_TEMPLATES.items():
        for t, _ in templates:
            if FORBIDDEN.search(t):
                bad.append(t)
    for t, _ in TRAPS:
        outside = re.sub(r"\[\[.*?\]\]", "", t)
        if FORBIDDEN.search(outside):
            bad.append(t)
    for key, vals in FILL.items():
        for v in vals:
            if FORBIDDEN.search(v):
                bad.append(v)
    if bad:
        raise SystemExit("generate.py: neutral text contains lexicon words:\n  "
                         + "\n  ".join(bad))

# ============================================================ cohort ======


class Person:
    __slots__ = ("first", "last", "group", "label", "mult", "klass", "limits")

    def __init__(self, first, last, group, label, mult=1.0, klass=0):
        self.first, self.last, self.group = first, last, group
        self.label, self.mult, self.klass = label, mult, klass

    @property
    def display(self):
        return "%s, %s" % (self.last, self.first)


def make_people(rng, n_residents, n_evaluators):
    """Residents in four classes (graduating 2023 .. 2026), evaluators with
    one to three rotations each. Gender mix: about half women, half men, one
    non-binary resident and two with a blank label."""
    used = set((f, l) for f, l, _ in FIXED_RESIDENTS)
    fixed_last = set(l for _, l, _ in FIXED_RESIDENTS)

    def deck(items):
        """Deal items in random order, reshuffling when all have been dealt,
        so names repeat only once a list is used up."""
        items = list(items)
        while True:
            rng.shuffle(items)
            for it in items:
                yield it

    last_deck = deck(l for l in LAST if l not in fixed_last)
    first_decks = {"W": deck(f for f in WOMEN_FIRST if f not in ("Zoë", "Renée")),
                   "M": deck(f for f in MEN_FIRST if f != "José"),
                   "N": deck(NEUTRAL_FIRST), "U": deck(NEUTRAL_FIRST)}

    def fresh_name(g):
        """A (first, last) pair not used yet; for very large cohorts, with a
        middle initial and then a number to keep names distinct."""
        for attempt in range(200):
            f, l = next(first_decks[g]), next(last_deck)
            if attempt >= 50:
                f += " %s." % chr(ord("A") + rng.randrange(26))
            if attempt >= 100:
                f += " %d" % rng.randrange(1000000)
            if (f, l) not in used:
                used.add((f, l))
                return f, l
        raise SystemExit("generate.py: ran out of names")

    groups = []
    n_other = 3 if n_residents >= 20 else 0
    n_w = (n_residents - n_other + 1) // 2
    n_m = n_residents - n_other - n_w
    groups = ["W"] * n_w + ["M"] * n_m
    if n_other:
        groups += ["N", "U", "U"]
    rng.shuffle(groups)

    residents = []
    fixed = list(FIXED_RESIDENTS)
    for i, g in enumerate(groups):
        f = l = None
        for k, (ff, ll, gg) in enumerate(fixed):
            if gg == g:
                f, l = ff, ll
                del fixed[k]
                break
        if f is None:
            f, l = fresh_name(g)
        labels, weights = LABELS[g]
        label = pick_weighted(rng, labels, weights)
        mult = math.exp(rng.gauss(0.0, RESIDENT_SIGMA))
        residents.append(Person(f, l, g, label, mult, klass=i % 4))

    # Normalise multipliers to mean 1 within women and within men, weighting
    # each resident by the academic years they appear in (classes 1 and 2 are
    # in both), so the expected planted ratio is the RATES ratio rather than
    # an accident of the draw.
    def years(r):
        return 2 if r.klass in (1, 2) else 1
    for g in ("W", "M"):
        grp = [r for r in residents if r.group == g]
        if grp:
            mean = sum(r.mult * years(r) for r in grp) / sum(years(r) for r in grp)
            for r in grp:
                r.mult /= mean
    for r in residents:
        if r.group in ("N", "U"):
            r.mult = 1.0

    evaluators = []
    for i in range(n_evaluators):
        g = "W" if i % 2 == 0 else "M"
        if i % 11 == 7:
            g = "U"
        f, l = fresh_name(g)
        labels, weights = LABELS[g]
        label = pick_weighted(rng, labels, weights)
        ev = Person(f, l, g, label)
        ev.klass = rng.sample(range(len(ROTATIONS)), rng.randint(1, 3))
        evaluators.append(ev)
    # Every rotation needs at least two evaluators.
    for ri in range(len(ROTATIONS)):
        have = [e for e in evaluators if ri in e.klass]
        for e in rng.sample(evaluators, max(0, 2 - len(have))):
            e.klass.append(ri)
    return residents, evaluators


def label_for(rng, p, mess):
    """The person's cohort label as this row exports it."""
    if not mess:
        return {"W": "F", "M": "M", "N": "Non-binary", "U": ""}[p.group]
    r = rng.random()
    if r < LABEL_BLANK_P:
        return ""
    if r < LABEL_BLANK_P + LABEL_OTHER_P:
        labels, weights = LABELS[p.group]
        return pick_weighted(rng, labels, weights)
    return p.label

# ========================================================= generator ======


class Generator:
    def __init__(self, seed, mess, n_residents, n_evaluators):
        check_forbidden()
        self.rng = random.Random(seed)
        self.mess = mess
        rng = self.rng
        self.residents, self.evaluators = make_people(rng, n_residents, n_evaluators)
        # Academic year -> residents present (class k is PGY-(3-k+year)).
        self.roster = {}
        for y, _ in enumerate(ACADEMIC_YEARS):
            # year 0: classes 0,1,2 = PGY-3,2,1; year 1: classes 1,2,3 = PGY-3,2,1
            self.roster[y] = [(r, 3 - (r.klass - y)) for r in self.residents
                              if 0 <= r.klass - y <= 2]
        self.rot_evals = {ri: [e for e in self.evaluators if ri in e.klass]
                          for ri in range(len(ROTATIONS))}
        # A bag with each rotation index repeated by its weight: one choice()
        # per row instead of a weighted draw.
        self.rot_bag = [ri for ri, r in enumerate(ROTATIONS) for _ in range(r[3])]
        # Every date of each academic year (Jul 1 .. Jun 30), as MM/DD/YYYY.
        self.dates = []
        month_days = [31, 31, 30, 31, 30, 31, 31, 28, 31, 30, 31, 30]  # Jul..Jun
        for ay in ACADEMIC_YEARS:
            y0, ds = int(ay[:4]), []
            for m, nd in enumerate(month_days):
                month = (m + 6) % 12 + 1
                for d in range(1, nd + 1):
                    ds.append("%02d/%02d/%d" % (month, d, y0 if month >= 7 else y0 + 1))
            self.dates.append(ds)
        # Per resident: exp(-mean) of each planted stream (see RATES).
        for r in self.residents:
            lims = []
            for cat, rates in list(RATES.items()) + [("well-liked", RATE_WELL_LIKED)]:
                lam = rates.get(r.group, (rates["W"] + rates["M"]) / 2) * r.mult
                lims.append((cat, math.exp(-lam)))
            lims.append(("negated", math.exp(-RATE_NEGATED)))
            lims.append(("trap", math.exp(-RATE_TRAP)))
            r.limits = lims

        # Pools, per pronoun set, expanded once (fast rows later).
        self.pools = {}
        for key, pron in PRONOUNS.items():
            p = {
                "S": expand_pool(NEUTRAL_S, pron, rng, grouped=True),
                "A": expand_pool(NEUTRAL_A, pron, rng, grouped=True),
                "O": expand_pool(NEUTRAL_O, pron, rng, grouped=True),
                "open": expand_pool(OPENERS, pron, rng, 1),
                "pair": expand_pool(PAIR_TEMPLATES, pron, rng, 1),
                "traps": [],
            }
            for cat, templates in PLANTED_TEMPLATES.items():
                lst = []
                for t, allowed in templates:
                    for s in expand_pool([t], pron, rng, 3):
                        lst.append((s, allowed))
                p[cat] = lst
            for t, term in TRAPS:
                for s in expand_pool([t], pron, rng, 3):
                    m = re.search(r"\[\[(.*?)\]\]", s)
                    p["traps"].append((s.replace("[[", "").replace("]]", ""),
                                       term, m.group(1)))
            self.pools[key] = p

        self.next_id = 4100000 + rng.randrange(0, 90000)
        self.row_no = 0

    # ------------------------------------------------------------------
    def surface(self, term):
        """A written form of term: a variant spelling, and in mess mode now
        and then the phrase broken across a line or a run of spaces."""
        _, surfaces, splits = TERMS[term]
        rng = self.rng
        if self.mess and splits and rng.random() < 0.3:
            return rng.choice(splits)
        if len(surfaces) == 1:
            return surfaces[0][0]
        return pick_weighted(rng, [s for s, _ in surfaces], [w for _, w in surfaces])

    @staticmethod
    def fill_slot(sentence, slot, surf):
        """Put surf into slot {slot} of sentence; return (sentence, written)."""
        for form, written in (
                ("{%s}" % slot, surf),
                ("{%s^}" % slot, cap(surf)),
                ("{a_%s}" % slot, article(surf) + " " + surf),
                ("{A_%s}" % slot, cap(article(surf)) + " " + surf),
                ("{%s_UP}" % slot, surf.upper())):
            if form in sentence:
                w = written.split(" ", 1)[1] if form.startswith(("{a_", "{A_")) else written
                return sentence.replace(form, written, 1), w
        raise AssertionError("no slot %s in %r" % (slot, sentence))

    def planted_sentence(self, pool, cat):
        """One planted sentence of category cat: (text, [records])."""
        rng = self.rng
        text, allowed = rng.choice(pool[cat])
        term = rng.choice(allowed)
        text, written = self.fill_slot(text, "T", self.surface(term))
        negated = 1 if cat == "negated" else 0
        tcat = TERMS[term][0]
        return text, [(term, negated, tcat, "planted", written)]

    def pair_sentence(self, pool, t1, t2):
        text = self.rng.choice(pool["pair"])
        text, w1 = self.fill_slot(text, "T", self.surface(t1))
        text, w2 = self.fill_slot(text, "T2", self.surface(t2))
        return text, [(t1, 0, TERMS[t1][0], "planted", w1),
                      (t2, 0, TERMS[t2][0], "planted", w2)]

    # ------------------------------------------------------------------
    def render_cell(self, sentences, col, resident_name, rot, pgy, smart=True):
        """Join a cell's sentences and dress them as a person typing into a
        web form would. Returns (text, fix): fix applies the same character
        changes to a recorded surface, so planted.csv shows it as written."""
        rng, mess = self.rng, self.mess
        changes = []                       # (old, new) applied to surfaces too
        if mess and col == COL_S and len(sentences) >= 3 and rng.random() < 0.12:
            bullet = rng.choice(["- ", "\u2022 ", "* "])
            text = "\n".join(bullet + s for s in sentences)
        elif mess:
            r = rng.random()
            if r < 0.15:
                sep = "\n"
            elif r < 0.22:
                sep = "\n\n"
            elif r < 0.35:
                sep = "  "
            else:
                sep = " "
            text = sep.join(sentences)
        else:
            text = " ".join(sentences)
        text = (text.replace("{N}", resident_name).replace("{ROT}", rot)
                .replace("{PGY}", pgy).replace("{a_PGY}", article(pgy) + " " + pgy))
        if mess:
            dash = pick_weighted(rng, [" -- ", " - ", " \u2013 ", "\u2014", " \u2014 "],
                                 [2, 3, 3, 2, 1])
            text = text.replace(" -- ", dash)
            if rng.random() < 0.35 and smart:   # word-processor "smart" quotes
                text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)
                text = text.replace("'", "\u2019")
                changes.append(("'", "\u2019"))
            if rng.random() < 0.06:
                text = text.replace("Dr. ", "Dr.\u00a0")
            if "\n" in text and rng.random() < 0.2:
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
                changes.append(("\r\n", "\n"))
                changes.append(("\n", "\r\n"))
            r = rng.random()
            if r < 0.04:
                text += " "
            elif r < 0.07:
                text += "\n"
            elif r < 0.09:
                text = " " + text
        else:
            text = text.replace(" -- ", " - ").replace("\r\n", " ").replace("\n", " ")
            changes += [("\r\n", " "), ("\n", " ")]

        def fix(surface):
            for a, b in changes:
                surface = surface.replace(a, b)
            return surface
        return text, fix

    def row(self, force=None):
        """One evaluation: (list of field strings, list of planted records)."""
        force = force or {}
        rng, mess = self.rng, self.mess
        self.row_no += 1
        year = rng.randrange(len(ACADEMIC_YEARS))
        resident, pgy_n = rng.choice(self.roster[year])
        if "resident" in force:
            resident = force["resident"]
            year, pgy_n = next((y, p) for y in sorted(self.roster)
                               for r, p in self.roster[y] if r is resident)
        ri = rng.choice(self.rot_bag)
        rot, site, form, _ = ROTATIONS[ri]
        evaluator = rng.choice(self.rot_evals[ri])
        eval_id = self.next_id
        self.next_id += rng.randint(1, 40)

        date = rng.choice(self.dates[year])
        rating = "" if rng.random() < 0.02 else str(pgy_n + 4 + rng.choice((-1, 0, 0, 1, 1, 2)))

        pron = {"W": "she", "M": "he"}.get(resident.group, "name")
        pool = self.pools[pron]
        r = rng.random()
        if r < 0.5:
            name = "Dr. " + resident.last
        elif r < 0.9:
            name = resident.first
        else:
            name = "Dr. %s %s" % (resident.first, resident.last)
        pgy_text = rng.choice(PGY_TEXT[pgy_n])

        # Which cells are empty.
        all_empty = force.get("all_empty") or (mess and rng.random() < 0.004)
        empty = {COL_S: rng.random() < 0.03, COL_A: rng.random() < 0.10,
                 COL_O: rng.random() < 0.08}
        if all_empty:
            empty = dict.fromkeys(COMMENT_COLS, True)
        nslots = {COL_S: rng.choice((1, 2, 3, 3, 4, 4, 5)),
                  COL_A: rng.choice((1, 2, 2, 3, 3)),
                  COL_O: rng.choice((1, 1, 2, 2, 3))}
        if mess and rng.random() < 0.004:
            force = dict(force, long=True)
        if force.get("long"):
            nslots[COL_O] = 16
            empty[COL_O] = False

        # Planted events: (category, column).
        events = []
        for cat, limit in resident.limits:
            n = poisson(rng, limit)
            if n:
                events += [cat] * n
        events += force.get("events", [])

        live = [c for c in COMMENT_COLS if not empty[c]]
        placed = {c: [] for c in COMMENT_COLS}
        for ev in events:
            cat = ev[0] if isinstance(ev, tuple) else ev
            w = PLACE[cat]
            cols = [c for c, wt in zip(COMMENT_COLS, w) if wt and c in live] or live
            if not cols:
                continue            # an all-empty row carries nothing
            weights = [w[COMMENT_COLS.index(c)] or 1 for c in cols]
            placed[pick_weighted(rng, cols, weights)].append(ev)

        fields_text, records = {}, []
        for col in COMMENT_COLS:
            if empty[col]:
                fields_text[col] = ""
                continue
            key = {COL_S: "S", COL_A: "A", COL_O: "O"}[col]
            sentences, recs = [], []
            evs = placed[col]
            # Pair two adjectives into one sentence now and then.
            adj = [i for i, e in enumerate(evs) if e in ("grindstone", "communal", "standout")]
            if len(adj) >= 2 and rng.random() < 0.5:
                i, j = adj[0], adj[1]
                t1 = self.pick_pair_term(evs[i])
                t2 = self.pick_pair_term(evs[j])
                if t1 != t2:
                    s, rr = self.pair_sentence(pool, t1, t2)
                    sentences.append(s)
                    recs += rr
                    evs = [e for k, e in enumerate(evs) if k not in (i, j)]
            for ev in evs:
                if isinstance(ev, tuple):         # forced (category, term, surface)
                    cat, term, surf = ev
                    text, allowed = next((t, a) for t, a in pool[cat] if term in a and "{T}" in t)
                    text, written = self.fill_slot(text, "T", surf)
                    sentences.append(text)
                    recs.append((term, 1 if cat == "negated" else 0, TERMS[term][0], "planted", written))
                elif ev == "trap":
                    text, term, phrase = rng.choice(pool["traps"])
                    sentences.append(text)
                    recs.append((term, 0, TERMS[term][0], "trap", phrase))
                else:
                    s, rr = self.planted_sentence(pool, ev)
                    sentences.append(s)
                    recs += rr
            # Neutral sentences fill the remaining slots: planted sentences
            # replace neutral ones, so comment length does not depend on
            # gender and the planted ratio holds per word as well as per row.
            n_neutral = max(0, nslots[col] - len(sentences))
            if col == COL_A and not sentences and mess and rng.random() < 0.12:
                neutral = [rng.choice(SHORT_A)]
            elif col == COL_O and not sentences and mess and rng.random() < 0.06:
                neutral = [rng.choice(SHORT_O)]
            else:
                groups = pool[key]
                if force.get("long") and col == COL_O:
                    # One evaluator in a few hundred writes an essay.
                    groups = pool["S"] + pool["A"] + pool["O"]
                picks = rng.sample(range(len(groups)), min(n_neutral, len(groups)))
                neutral = [rng.choice(groups[i]) for i in picks]
            if force.get("quote") and col == COL_S:
                neutral.append(next(v[0] for v in pool["S"] if "I'll handle it" in v[0]))
            allsent = neutral + sentences
            rng.shuffle(allsent)
            if col == COL_O and rng.random() < 0.3:
                allsent.insert(0, rng.choice(pool["open"]))
            text, fix = self.render_cell(allsent, col, name, rot, pgy_text,
                                         smart=not force.get("quote"))
            recs = [(t, n, c, k, fix(w)) for t, n, c, k, w in recs]
            recs.sort(key=lambda rec: text.find(rec[4]))   # reading order
            fields_text[col] = text
            records += [(eval_id, col) + rec for rec in recs]

        fields = [
            str(eval_id), form, rot, site, ACADEMIC_YEARS[year], date,
            evaluator.display + (" MD" if mess and hash_name(evaluator) % 3 == 0 else ""),
            label_for(rng, evaluator, mess), resident.display,
            label_for(rng, resident, mess), "PGY-%d" % pgy_n, rating,
            fields_text[COL_S], fields_text[COL_A], fields_text[COL_O],
        ]
        return fields, records

    def pick_pair_term(self, cat):
        lst = {"grindstone": GRIND_ADJ, "communal": COMM_ADJ,
               "standout": STAND_PERSON}[cat]
        return self.rng.choice(lst)


def hash_name(p):
    """A stable small hash (Python's hash() is salted per process)."""
    h = 0
    for ch in p.last + p.first:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h

# ============================================================ output ======


_NEEDS_QUOTES = re.compile(r'[",\r\n]|^ | $')


def csv_field(s, quote_all):
    """RFC 4180 field: quoted when it must be (or always, as MedHub does)."""
    if quote_all or _NEEDS_QUOTES.search(s):
        return '"' + s.replace('"', '""') + '"'
    return s


CP1252_FALLBACK = {"\U0001F642": ":)", "\u2265": ">=", "\u2264": "<=", "\u2192": "->"}


def encode(text, encoding):
    if encoding == "utf-8":
        return text.encode("utf-8")
    for k, v in CP1252_FALLBACK.items():
        if k in text:
            text = text.replace(k, v)
    return text.encode("cp1252", errors="replace")


# Rows that always carry one of the required oddities, so even a 60-row
# sample has each of them. Indices are 1-based data rows.
def forced(row_no, gen):
    f = {}
    if row_no == 2:
        f["resident"] = next(r for r in gen.residents if r.first == "Zoë")
        f["events"] = [("personality", "too assertive", "too\n assertive")]
    elif row_no == 4:
        f["resident"] = next(r for r in gen.residents if r.first == "José")
        f["quote"] = True
    elif row_no == 6:
        f["all_empty"] = True
    elif row_no == 9:
        f["resident"] = next(r for r in gen.residents if r.first == "Renée")
        f["events"] = [("negated", "bossy", "bossy"), ("grindstone", "hardworking", "hard-working")]
    elif row_no == 13:
        f["events"] = [("personality", "emotional", "over-emotional"),
                       ("well-liked", "well-liked", "well-liked")]
    elif row_no == 11:
        f["wide"] = True
    elif row_no == 17:
        f["long"] = True
    return f


def generate(args, out, planted_out):
    mess = not args.no_mess
    gen = Generator(args.seed, mess, args.residents, args.evaluators)
    nl = "\r\n" if mess else "\n"
    enc = args.encoding
    header = [csv_field(h, mess) for h in HEADER]
    if mess:
        header += [""] * TRAILING_EMPTY
    head = ",".join(header) + nl
    if mess and enc == "utf-8":
        out.write(b"\xef\xbb\xbf")
    written = 0
    b = encode(head, enc)
    out.write(b)
    written += len(b)
    if planted_out:
        planted_out.write(b"evaluation_id,column,term,negated,category,kind,surface\n")
    target = int(args.size_mb * 1048576) if args.size_mb else None
    nrows = 0
    approx = written          # bytes so far, counting characters not yet encoded
    chunk, pchunk = [], []
    stats = Stats()
    while True:
        if target is None and nrows >= args.rows:
            break
        if target is not None and approx >= target:
            break
        nrows += 1
        force = forced(nrows, gen) if mess else {}
        fields, records = gen.row(force)
        stats.add(gen, fields, records)
        line = ",".join(csv_field(f, mess) for f in fields)
        if mess:
            wide = gen.rng.random() < 0.03 or force.get("wide")
            extra = TRAILING_EMPTY + (2 if wide else 0)
            line += "," * extra
        line += nl
        if mess and (gen.rng.random() < 0.01 or nrows == 7):
            line += nl                      # a blank line between records
        chunk.append(line)
        approx += len(line)
        if planted_out:
            for rec in records:
                pchunk.append(",".join(csv_field(str(x), False) for x in rec) + "\n")
        if len(chunk) >= 2000:
            b = encode("".join(chunk), enc)
            out.write(b)
            written += len(b)
            chunk = []
            if planted_out:
                planted_out.write("".join(pchunk).encode("utf-8"))
                pchunk = []
    if chunk:
        b = encode("".join(chunk), enc)
        out.write(b)
        written += len(b)
    if planted_out and pchunk:
        planted_out.write("".join(pchunk).encode("utf-8"))
    return nrows, written, stats

# ============================================================= stats ======


class Stats:
    """Planted counts and words by resident group: the bias actually written."""

    def __init__(self):
        self.rows = {}
        self.words = {}
        self.hits = {}
        self.residents = {}
        self.group_of = None

    def add(self, gen, fields, records):
        if self.group_of is None:
            self.group_of = {r.display: r.group for r in gen.residents}
        res = fields[8]
        g = self.group_of[res]
        self.residents[res] = g
        self.rows[g] = self.rows.get(g, 0) + 1
        n = len(fields[12].split()) + len(fields[13].split()) + len(fields[14].split())
        self.words[g] = self.words.get(g, 0) + n
        for rec in records:
            _, _, term, negated, cat, kind, _ = rec
            if kind == "planted" and not negated:
                self.hits[(g, cat)] = self.hits.get((g, cat), 0) + 1

    def report(self, f):
        groups = ["W", "M", "N", "U"]
        names = {"W": "women", "M": "men", "N": "non-binary", "U": "blank"}
        nres = {g: sum(1 for v in self.residents.values() if v == g) for g in groups}
        f.write("group        residents   rows    words\n")
        for g in groups:
            f.write("%-12s %9d %6d %8d\n" % (names[g], nres[g], self.rows.get(g, 0),
                                           self.words.get(g, 0)))
        f.write("\nplanted (not negated) per 1,000 words        women     men   ratio W/M\n")
        for cat in CATEGORIES:
            rw = 1000.0 * self.hits.get(("W", cat), 0) / max(1, self.words.get("W", 0))
            rm = 1000.0 * self.hits.get(("M", cat), 0) / max(1, self.words.get("M", 0))
            f.write("%-12s n=%4d/%4d                  %7.2f %7.2f   %5.2f\n" % (
                cat, self.hits.get(("W", cat), 0), self.hits.get(("M", cat), 0),
                rw, rm, rw / rm if rm else float("nan")))

# ============================================================ verify ======


def term_regex(term):
    parts = re.split(r"[\s-]+", term)
    if term == "hardworking":
        parts = ["hard", "working"]
    body = r"[\s\-]*".join(re.escape(p) for p in parts)
    return re.compile(r"(?<![\w])" + body + r"(?![\w])", re.IGNORECASE)


def verify(path, planted_path, encoding):
    """Re-read a generated file (streaming): every row has the header's
    width (or more, all empty), IDs are unique, and every occurrence of a
    planted or trap term in the comments is listed in the planted file, and
    vice versa."""
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    bom = head.startswith(b"\xef\xbb\xbf")
    crlf = b"\r\n" in head
    enc = "utf-8-sig" if encoding == "utf-8" else "cp1252"
    f = open(path, encoding=enc, newline="")
    reader = csv.reader(f)
    header = next(reader)
    width = len(header)
    problems = []
    ids = set()
    extra_wide = blank = ndata = 0
    cols = [header.index(c) for c in COMMENT_COLS]
    found = {}
    regs = list((t, term_regex(t)) for t in TERMS)
    for r in reader:
        if not r:
            blank += 1
            continue
        if len(r) < width:
            problems.append("row %s: %d fields, header has %d" % (r[0], len(r), width))
        elif len(r) > width:
            if any(x for x in r[width:]):
                problems.append("row %s: non-empty extra fields" % r[0])
            extra_wide += 1
        if r[0] in ids:
            problems.append("duplicate id %s" % r[0])
        ids.add(r[0])
        ndata += 1
        for ci in cols:
            cell = r[ci] if ci < len(r) else ""
            for t, rx in regs:
                n = len(rx.findall(cell))
                if n:
                    k = (r[0], header[ci], t)
                    found[k] = found.get(k, 0) + n
    f.close()
    listed = {}
    if planted_path:
        with open(planted_path, encoding="utf-8", newline="") as pf:
            for rec in csv.DictReader(pf):
                k = (rec["evaluation_id"], rec["column"], rec["term"])
                listed[k] = listed.get(k, 0) + 1
        for k in sorted(set(found) | set(listed)):
            if found.get(k, 0) != listed.get(k, 0):
                problems.append("%s %s %r: %d in text, %d listed" % (
                    k[0], k[1], k[2], found.get(k, 0), listed.get(k, 0)))
    sys.stderr.write("%s: %d data rows, %d blank lines, %d rows with extra empty "
                     "columns, header width %d, BOM %s, CRLF %s; %d term occurrences, "
                     "%d listed\n" % (path, ndata, blank, extra_wide, width,
                                      "yes" if bom else "no",
                                      "yes" if crlf else "no",
                                      sum(found.values()), sum(listed.values())))
    for p in problems[:30]:
        sys.stderr.write("  " + p + "\n")
    return 1 if problems else 0

# ============================================================== main ======


# ======================================================= long format ======

LONG_HEADER = ["Evaluation ID", "Evaluator", "Evaluator Gender", "Evaluatee",
               "Rotation", "Academic Year", "PGY", "Question", "Response"]
SCALES = {
    "Patient Care": ["1 - Novice", "2 - Advanced Beginner", "3 - Competent",
                     "4 - Proficient", "5 - Expert"],
    "Professionalism": ["Below expectations", "Meets expectations",
                        "Exceeds expectations"],
}
GENDER_OF = {"f": "Female", "female": "Female", "m": "Male", "male": "Male",
             "non-binary": "Non-binary", "nonbinary": "Non-binary"}


def long_from(wide_path, out_path, roster_path):
    """The evaluations of a wide export as a MedHub-style long export (one
    row per evaluation x question, rows grouped by question, so an
    evaluation's rows are far apart) and a roster holding resident gender,
    which the long export lacks. Ratings and scale answers sit between the
    comment questions, as in real exports. Deterministic: the scale answers
    are drawn from a hash of the evaluation id."""
    with open(wide_path, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if any(r)]
    head, data = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(head) if name}
    questions = ["Overall Rating", "Patient Care", "Strengths",
                 "Professionalism", "Areas for Improvement", "Overall Comments"]
    out = []
    people = {}
    for q in questions:
        for r in data:
            eid = r[col["Evaluation ID"]]
            if q in SCALES:
                h = sum(ord(c) * (i + 7) for i, c in enumerate(eid + q))
                answer = SCALES[q][h % len(SCALES[q])]
            else:
                answer = r[col[q]]
            out.append([eid, r[col["Evaluator"]], r[col["Evaluator Gender"]],
                        r[col["Resident"]], r[col["Rotation"]],
                        r[col["Academic Year"]], r[col["PGY"]], q, answer])
    for r in data:
        name = r[col["Resident"]]
        label = GENDER_OF.get(r[col["Resident Gender"]].strip().lower(), "")
        p = people.setdefault(name, {"labels": {}, "pgy": r[col["PGY"]]})
        if label:
            p["labels"][label] = p["labels"].get(label, 0) + 1
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(LONG_HEADER)
        w.writerows(out)
    # The roster names residents "First Last" (the export: "Last, First"),
    # sorted by a made-up id; gender blank where the program never recorded
    # one.
    with open(roster_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["Resident ID", "Name", "Gender", "PGY"])
        for i, name in enumerate(sorted(people)):
            last, _, first = name.partition(", ")
            labels = people[name]["labels"]
            gender = max(sorted(labels), key=lambda k: labels[k]) if labels else ""
            w.writerow(["R%03d" % (i + 1), "%s %s" % (first, last), gender,
                        people[name]["pgy"]])
    return len(out), len(people)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate synthetic resident evaluations of a fictional program (%s) "
                    "with a planted gender bias, for testing evalbias. All names are "
                    "made up." % PROGRAM)
    ap.add_argument("--seed", type=int, default=61, help="random seed (default 61, the committed sample)")
    ap.add_argument("--rows", type=int, default=600, help="data rows (default 600)")
    ap.add_argument("--size-mb", type=float, default=None,
                    help="write about N MiB instead of --rows rows")
    ap.add_argument("--out", default="-", help="output CSV (default stdout)")
    ap.add_argument("--planted", default=None,
                    help="also write the planted-term list (CSV) to this file")
    ap.add_argument("--encoding", choices=["utf-8", "windows-1252"], default="utf-8",
                    help="output encoding (utf-8 gets a BOM unless --no-mess)")
    ap.add_argument("--no-mess", action="store_true",
                    help="plain CSV for benchmarks: no BOM, LF, minimal quoting, "
                         "no blank lines or trailing columns, one line per record")
    ap.add_argument("--residents", type=int, default=40, help="residents (default 40)")
    ap.add_argument("--evaluators", type=int, default=30, help="evaluators (default 30)")
    ap.add_argument("--quiet", action="store_true", help="no summary on stderr")
    ap.add_argument("--rate", action="append", default=[], metavar="CAT=W:M",
                    help="planted sentences per evaluation of category CAT for "
                         "women and men, instead of the default (e.g. "
                         "confidence=0.045:0.09 reverses that bias); repeatable. "
                         "For audits of several cycles with a change planted in one")
    ap.add_argument("--verify", metavar="CSV", default=None,
                    help="check a generated CSV (and --planted list) instead of generating")
    ap.add_argument("--long-from", metavar="CSV", default=None,
                    help="write the evaluations of this wide CSV as a long export "
                         "(--out) and a roster (--roster-out) instead of generating")
    ap.add_argument("--roster-out", default=None, help="the roster, with --long-from")
    args = ap.parse_args(argv)
    if args.long_from:
        if args.out == "-" or not args.roster_out:
            ap.error("--long-from needs --out and --roster-out")
        n, people = long_from(args.long_from, args.out, args.roster_out)
        if not args.quiet:
            sys.stderr.write("%s: %d rows; %s: %d residents\n" % (
                args.out, n, args.roster_out, people))
        return 0
    if args.verify:
        return verify(args.verify, args.planted, args.encoding)
    if args.residents < 4 or args.evaluators < 2:
        ap.error("need at least 4 residents and 2 evaluators")
    for spec in args.rate:
        try:
            cat, wm = spec.split("=", 1)
            w, m = (float(x) for x in wm.split(":", 1))
        except ValueError:
            ap.error("--rate takes CAT=W:M, e.g. confidence=0.045:0.09")
        if cat not in RATES or w < 0 or m < 0:
            ap.error("--rate: category is one of %s; rates >= 0" % ", ".join(RATES))
        RATES[cat] = {"W": w, "M": m}

    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    pout = open(args.planted, "wb") if args.planted else None
    try:
        nrows, written, stats = generate(args, out, pout)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
        if pout:
            pout.close()
    if not args.quiet:
        sys.stderr.write("%s: %d rows, %d bytes (seed %d)\n" % (
            args.out, nrows, written, args.seed))
        stats.report(sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

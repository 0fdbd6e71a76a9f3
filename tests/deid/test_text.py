"""Tables of strings per identifier type: what must be masked, and clinical text that must survive."""

from __future__ import annotations

import pytest

from spineconsult.deid import DeidResult, Span, deidentify_text

# (text, the identifier inside it, expected type)
POSITIVE = [
    ("Seen by Dr. Healey today.", "Healey", "NAME"),
    ("Spoke with Dr. J. Rizzo about the plan.", "Rizzo", "NAME"),
    ("Mrs Kowalczyk walked twice.", "Kowalczyk", "NAME"),
    ("Her son Brandon visited.", "Brandon", "NAME"),
    ("Surgery on 7/22/2024 went well.", "7/22/2024", "DATE"),
    ("Follow-up 2024-03-05.", "2024-03-05", "DATE"),
    ("Operated on March 3, 2021 at L4-L5.", "March 3, 2021", "DATE"),
    ("Admitted 12/3 for pain control.", "12/3", "DATE"),
    ("Seen in September for review.", "September", "DATE"),
    ("Call me on 410-555-1234 please.", "410-555-1234", "PHONE"),
    ("Mobile +44 20 7946 0958.", "+44 20 7946 0958", "PHONE"),
    ("pager 45166 if questions", "45166", "PHONE"),
    ("Write to jane.roe@example.org.", "jane.roe@example.org", "EMAIL"),
    ("See https://example.org/mri/123 for images.", "https://example.org/mri/123", "URL"),
    ("MRN: 00123456 on file.", "00123456", "ID"),
    ("SSN 123-45-6789.", "123-45-6789", "ID"),
    ("A 92 yo woman with stenosis.", "92", "AGE"),
    ("Lives at 42 Maple Street, Apt 3.", "42 Maple Street, Apt 3", "ADDRESS"),
    ("Transferred from Calvert Memorial Hospital.", "Calvert Memorial Hospital", "ORGANIZATION"),
    ("She lives in Catonsville now.", "Catonsville", "LOCATION"),
    ("Server at 192.168.10.4 logged it.", "192.168.10.4", "IP"),
    ("Mr. Auðbjörnsson called about his back.", "Auðbjörnsson", "NAME"),
    ("I want to add Irenke Sörös to the list.", "Sörös", "NAME"),
    ("Ring 07700 900 123 after six.", "07700 900 123", "PHONE"),
    ("Our office is at Sludevej 13 now.", "Sludevej 13", "ADDRESS"),
    ("She moved to Annapolis, MD last year.", "Annapolis", "LOCATION"),
    ("Rehab at Sacred Heart was booked.", "Sacred Heart", "ORGANIZATION"),
    ("Then transferred to GH for the fusion.", "GH", "LOCATION"),
    ("Dr. Smith test results are back.", "Smith", "NAME"),
    ("Extubated 7/17 without problems.", "7/17", "DATE"),
    ("Reach me at x4567 in the clinic.", "4567", "PHONE"),
    ("His wife (201/324/1423) confirms.", "201/324/1423", "PHONE"),
    ("dtr at 212- 476- 8356.", "212- 476- 8356", "PHONE"),
    ("Plan: transfer today to Quillbury 6.", "Quillbury", "LOCATION"),
    ("She lives in Manchester now.", "Manchester", "LOCATION"),
    ("Dr. Jackson called back.", "Jackson", "NAME"),
    ("My name is Grace and my back hurts.", "Grace", "NAME"),
    ("Kind regards,\nAnn Marie Smith", "Smith", "NAME"),
    ("Thanks, Bob", "Bob", "NAME"),
    # short hospital acronyms after to/at/from in any case; lower-case places after a residence verb
    ("husband did not come to gh with her", "gh", "LOCATION"),
    ("He lives nearby in rockport and will visit.", "rockport", "LOCATION"),
    # ward names with a ward number after per/plan or a transfer verb
    ("Per Quillbury 3 RN, UO only 20cc.", "Quillbury", "LOCATION"),
    ("TRANSFER QUILLBURY 2 THIS AM.", "QUILLBURY", "LOCATION"),
    # lower-case initials next to a name; ambiguous first names before a surname; O'Brien-style surnames
    ("nsg (j. renna) was present", "j", "NAME"),
    ("report given by pat rixford to the team", "pat", "NAME"),
    ("md will call son don reid regarding drainage", "don", "NAME"),
    # a capitalised word after a capital initial after a person cue
    ("Reported to D. Phyl. Coags ok.", "Phyl", "NAME"),
    # dates with mixed separators, and two month/day dates written together
    ("11/21.93 neuro: pt alert", "11/21.93", "DATE"),
    ("HAD TREATMENTS 10/03/10/04 AND DUE AGAIN", "10/03/10/04", "DATE"),
    # "AC" before a date is the antecubital fossa, not the ventilator mode
    ("PICC PLACED IN R AC 11/17, ART LINE IN R RAD", "11/17", "DATE"),
    # a gazetteer place before ", ST", in capitals too, even when it is an ordinary word
    ("OLD RECORDS FROM ANNAPOLIS, MD. CONTIN DISCUSSION", "ANNAPOLIS", "LOCATION"),
    # a hospital acronym after a transfer arrow; a residence verb a few words before the place
    ("HPI: found unresponsive-> GH EW today.", "GH", "LOCATION"),
    ("LIVES WITH SON AND FAMILY IN ROCKVILLE. ALSO HAS", "ROCKVILLE", "LOCATION"),
    # a hospital before "cath lab" is not an eponym
    ("72 YR OLD MALE ADM FROM GH CATH LAB.", "GH", "LOCATION"),
    # phone numbers whose area code and exchange run together
    ("son (240444-1243) was in", "240444-1243", "PHONE"),
]

# Clinical text that must come out unchanged.
NEGATIVE = [
    "Disc herniation at L4-L5 with S1 radiculopathy.",
    "Pain 7/10 for 5 weeks since the laminectomy.",
    "Stenosis at C5-6 and C6-C7, worse on the left.",
    "Gabapentin 300 mg three times a day, pregabalin 75 mg twice daily.",
    "BP 120/80, HR 72, temp 37.2, SpO2 98% on room air.",
    "Power 4/5 in ankle dorsiflexion, reflexes 2+ and symmetrical.",
    "Fusion L3-S1 in 2019; hardware intact on CT.",
    "Numbness in the left foot, no bowel or bladder problems.",
    "Oxycodone 5 mg every 4 hours as needed, paracetamol 1 g.",
    "Physiotherapy twice a week for 6 weeks, then review.",
    "MRI lumbar spine: facet arthropathy, Modic type 1 changes at L5-S1.",
    "Epidural steroid injection 80 mg methylprednisolone.",
    "Spinal cord stimulator trial planned; ODI 42%.",
    "Ibuprofen 400 mg, naproxen 500 mg, duloxetine 60 mg.",
    "Straight leg raise positive at 40 degrees on the right.",
    "She is 58 years old and works as a teacher.",
    "Patient ambulating with walker, voiding without difficulty.",
    "Aspen collar, Miami J collar, Boston brace, Jewett brace, Philadelphia collar.",
    "Positioned on a Jackson table with Mayfield head holder; Gardner-Wells tongs.",
    "Harrington rods removed. Babinski negative, Hoffmann sign positive, Spurling test negative.",
    "Lhermitte sign, Romberg positive, Waddell signs absent, Lasegue sign, Patrick test positive.",
    "Foley catheter in place. Brown-Sequard syndrome. Cobb angle 42 degrees. Oswestry score 38.",
    "Schmorl nodes at T11-T12, Tarlov cyst, Chiari malformation, Scheuermann kyphosis.",
    "Taking Lyrica and Cymbalta; tried Tramadol, Celebrex, Neurontin, Norco, Percocet, Flexeril.",
    "Paget's disease of the spine; Modic changes.",
    "c/o 3/10 low back pain, 6/10 with walking; 1/2 strength dose.",
    "Remained on CPAP 5/5 overnight, PS 10/5 in the morning.",
    "Call x4 attempts, gave 2 units; NS bolus x 500.",
    "Switched to oxycodone 5 mg, on gabapentin 300 three times a day, back to work 2 days.",
    "I am Worried about the fusion. Thanks In advance for your help.",
    "Switched from Lyrica to Cymbalta last month.",
    "Bleed extending into the 4th ventricle; sent to the ICU, then to CT.",
    "AMBULATED IN HALL X2, COUMADIN AT HOME, SLEPT IN LONG NAPS.",
    "She lives with her son and is in good spirits.",
    "Plan: lopressor 25 po bid, per protocol 2 units.",
    "I can't wait to go home, he'll need pt; I'm fine, rec'd 1 dose.",
    "Will pat dry, don gloves and gown; art line in place, p.o. intake fair.",
    "Sats 100% on 2L. Contd. rales R>L. Suct copious; diminished on the R. Spo2 95%.",
    "HCT 27.9, K 4.1, Mg 2.0; 1/2.50 dose given; PS 10/5/5 overnight.",
    "SENT HOME, MD AWARE; SWAN, PA-line; CAPS, NC 2L; CALM, IN NAD.",
    "pt -> OR, then -> CT; pH 7.30 ->PH 7.35; lives with wife and son in good health.",
    "History of dvt, greenfield filter; endoscopy showed Mallory-Weiss tear; CHEYNE-STOKES RESPIRATIONS.",
    "Hypotensive (70-80'2/30-40's) all AM, team notified.",
    "EXTUBATED FROM 5/5 PSV/CPAP ONTO 40% COOL AEROSOL; placed on AC 14/5 overnight.",
    "Lot 123456-7890A, ratio 100000-1234-5, I/O 120000/1000.",
]


@pytest.mark.parametrize(("text", "value", "kind"), POSITIVE)
def test_identifier_is_masked(text: str, value: str, kind: str) -> None:
    result = deidentify_text(text)
    start = text.index(value)
    covering = [s for s in result.spans if s.start <= start and s.end >= start + len(value)]
    assert covering, f"{value!r} not masked in {result.text!r}"
    assert covering[0].type == kind
    assert value not in result.text


@pytest.mark.parametrize("text", NEGATIVE)
def test_clinical_text_survives(text: str) -> None:
    result = deidentify_text(text)
    assert result.text == text, result.spans


def test_spans_point_into_the_input_and_hold_no_values() -> None:
    text = "Dr. Healey called on 3/4/2023."
    result = deidentify_text(text)
    assert result.text == "Dr. [NAME] called on [DATE]."
    assert [text[s.start : s.end] for s in result.spans] == ["Healey", "3/4/2023"]
    dumped = result.model_dump_json()
    assert "Healey" not in dumped and "3/4/2023" not in dumped


def test_result_types_are_exported() -> None:
    result = deidentify_text("nothing to hide")
    assert isinstance(result, DeidResult)
    assert all(isinstance(s, Span) for s in result.spans)


def test_surnames_with_an_apostrophe_are_one_word() -> None:
    # "o'brien" is one token (not "o" + "brien") and a gazetteer name; contractions still split
    from spineconsult.deid.tokens import tokenize

    assert [t.lower for t in tokenize("j. o'brien's can't I'm")] == ["j", "o'brien", "can", "t", "i", "m"]
    result = deidentify_text("verified by j. o'brien this morning")
    # the initial is masked with its dot
    assert "o'brien" not in result.text and "j." not in result.text and "by [NAME] " in result.text

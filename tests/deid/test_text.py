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
    ("Plan: transfer today to Quartermain 6.", "Quartermain", "LOCATION"),
    ("She lives in Manchester now.", "Manchester", "LOCATION"),
    ("Dr. Jackson called back.", "Jackson", "NAME"),
    ("My name is Grace and my back hurts.", "Grace", "NAME"),
    ("Kind regards,\nAnn Marie Smith", "Smith", "NAME"),
    ("Thanks, Bob", "Bob", "NAME"),
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

"""Evidence pages from the knowledge pack: one per treatment and condition, searchable, kept current."""

from __future__ import annotations

import dataclasses

from spineconsult.knowledge import default_pack
from spineconsult.library import related, search
from spineconsult.library.evidence_pages import evidence_pages, publish_evidence_pages
from spineconsult.library.models import LibraryEntry


def test_every_treatment_and_condition_gets_a_page_with_its_studies():
    pack = default_pack()
    pages = {p.slug: p for p in evidence_pages(pack)}
    assert len(pages) == len(pack.treatments) + len(pack.conditions)
    scs = pages["evidence-spinal-cord-stimulation"]
    for evidence_id in pack.treatments["spinal_cord_stimulation"].evidence:
        study = pack.evidence[evidence_id]
        assert study.citation in scs.answer
        assert all(o.value in scs.answer for o in study.outcomes)
    assert "certainty" in scs.answer
    assert pack.conditions["csf_leak"].lay_name in pages["condition-csf-leak"].title


def test_published_pages_are_found_by_lay_words_and_related(session):
    published, removed = publish_evidence_pages(session)
    session.commit()
    assert removed == 0 and session.query(LibraryEntry).filter_by(kind="evidence").count() == published
    assert "evidence-spinal-cord-stimulation" in [
        h.slug for h in search(session, "stimulator implant", limit=3)
    ]
    assert related(session, "evidence-spinal-cord-stimulation", k=3)


def test_republishing_removes_pages_that_left_the_pack(session):
    pack = default_pack()
    publish_evidence_pages(session, pack)
    smaller = dataclasses.replace(
        pack, treatments={k: v for k, v in pack.treatments.items() if k != "prolotherapy"}
    )
    published, removed = publish_evidence_pages(session, smaller)
    session.commit()
    assert removed == 1 and published == len(smaller.treatments) + len(pack.conditions)
    assert session.query(LibraryEntry).filter_by(slug="evidence-prolotherapy").count() == 0

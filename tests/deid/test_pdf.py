"""PDF round trip: a new document with de-identified text; malformed input leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.pdf import deidentify_pdf


def _make_pdf(path: Path, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_author("Jane Roe")
    for body in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
    pdf.output(str(path))
    return path


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_round_trip_writes_a_new_deidentified_document(tmp_path: Path) -> None:
    src = _make_pdf(
        tmp_path / "note.pdf",
        [
            "Operative note for Jane Roe. Surgeon Dr. Healey, 3/4/2024, Calvert Memorial Hospital.",
            "L4-L5 microdiscectomy; pain 7/10 for 5 weeks. Contact 410-555-1234.",
        ],
    )
    report = deidentify_pdf(src, tmp_path / "out.pdf", known_identities=["Jane Roe"])
    out = _text(tmp_path / "out.pdf")
    for secret in ("Jane", "Roe", "Healey", "3/4/2024", "Calvert", "410-555-1234"):
        assert secret not in out
    for clinical in ("L4-L5", "7/10", "5 weeks", "microdiscectomy"):
        assert clinical in out
    assert report.pages == 2 and report.counts["NAME"] >= 2
    assert PdfReader(tmp_path / "out.pdf").metadata.get("/Author") is None


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n garbage without objects"])
def test_malformed_pdf_is_refused_without_output(tmp_path: Path, content: bytes) -> None:
    src = tmp_path / "bad.pdf"
    src.write_bytes(content)
    with pytest.raises(DeidInputError, match=r"bad\.pdf"):
        deidentify_pdf(src, tmp_path / "out.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pdf"]


def test_output_must_not_overwrite_the_original(tmp_path: Path) -> None:
    src = _make_pdf(tmp_path / "note.pdf", ["Dr. Healey"])
    with pytest.raises(DeidInputError, match="never overwritten"):
        deidentify_pdf(src, src)


def test_pages_without_text_are_reported(tmp_path: Path) -> None:
    src = _make_pdf(tmp_path / "scan.pdf", ["Dr. Healey", ""])
    report = deidentify_pdf(src, tmp_path / "out.pdf")
    assert report.pages_without_text == [2]

"""PDF de-identification: extract the text, de-identify it, write a NEW document.

The original file is never copied: images, annotations, attachments, form fields and metadata are
left behind (they can hold identifiers we cannot read), and only the de-identified text is typeset.
Pages without extractable text (scans) are reported, not carried over.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from spineconsult.deid.atomic import write_atomically
from spineconsult.deid.errors import DeidInputError
from spineconsult.deid.models import PdfReport, PolicyName
from spineconsult.deid.text import deidentify_text

_PAGE_BREAK = "\f"


def _read_pages(src: Path) -> list[str]:
    try:
        with src.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                raise DeidInputError(f"{src.name}: not a PDF file (no %PDF header)")
        logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes would reach the user's terminal
        reader = PdfReader(src, strict=False)
        if reader.is_encrypted:
            raise DeidInputError(f"{src.name}: encrypted PDF; decrypt it first")
        return [(page.extract_text() or "").replace(_PAGE_BREAK, "\n") for page in reader.pages]
    except OSError as exc:
        raise DeidInputError(f"{src.name}: cannot read ({exc.strerror or exc})") from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, DeidInputError):
            raise
        raise DeidInputError(
            f"{src.name}: malformed PDF ({type(exc).__name__}: {exc})".splitlines()[0]
        ) from exc


def _latin1_char(ch: str) -> str:
    if ord(ch) < 256:
        return ch
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base and ord(base) < 256 else "?"


def _latin1(text: str) -> str:
    # The built-in PDF fonts cover Latin-1 only: decompose accented letters, replace what is left.
    return "".join(_latin1_char(ch) for ch in unicodedata.normalize("NFKC", text))


def _typeset(pages: list[str], policy: PolicyName, dst: Path) -> None:
    pdf = FPDF(format="A4")
    pdf.set_title("De-identified document")
    pdf.set_creator("spineconsult deid")
    pdf.set_auto_page_break(auto=True, margin=15)
    for number, body in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "I", 8)
        pdf.cell(
            0, 5, f"De-identified copy ({policy} policy), source page {number}. The original is not included."
        )
        pdf.ln(8)
        pdf.set_font("Helvetica", size=10)
        text = body.strip() or "[no extractable text on this page; images are not carried over]"
        pdf.multi_cell(0, 5, _latin1(text))
    pdf.output(str(dst))


def deidentify_pdf(
    src: Path,
    dst: Path,
    *,
    policy: PolicyName = "publication",
    known_identities: Sequence[str] = (),
    case_key: str | None = None,
) -> PdfReport:
    """Write a new, de-identified PDF at `dst`; raise DeidInputError (and write nothing) on bad input."""
    src, dst = Path(src), Path(dst)
    if src.resolve() == dst.resolve():
        raise DeidInputError(
            f"{dst.name}: output must differ from the input; the original is never overwritten"
        )
    pages = _read_pages(src)
    result = deidentify_text(_PAGE_BREAK.join(pages), policy, known_identities, case_key=case_key)
    clean = result.text.split(_PAGE_BREAK)
    write_atomically(dst, lambda tmp: _typeset(clean, policy, tmp))
    empty = [i for i, page in enumerate(pages, start=1) if not page.strip()]
    return PdfReport(
        source_name=src.name,
        output=dst,
        pages=len(pages),
        policy=policy,
        counts=result.counts(),
        pages_without_text=empty,
    )

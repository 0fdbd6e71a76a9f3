"""De-identification of text, PDFs and DICOM: detect -> policy -> transform."""

from spineconsult.deid.models import DeidResult, Span
from spineconsult.deid.text import deidentify_text

__all__ = ["DeidResult", "Span", "deidentify_text"]

"""The one error type of the deid package: bad input, with a one-line message naming the file or field."""

from __future__ import annotations


class DeidInputError(ValueError):
    """Unreadable, malformed or unsupported input; str() is one line naming the file or field."""

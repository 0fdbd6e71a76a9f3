"""Write-then-rename, so a failure never leaves a partial output file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(dst: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `dst`, then rename it to `dst`."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".deid-", suffix=dst.suffix, dir=dst.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)

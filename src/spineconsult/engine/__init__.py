"""The assessment engine: a pure library (message + facts -> assessment)."""

from spineconsult.engine.assess import assess, parse_case
from spineconsult.engine.models import Assessment, InputError

__all__ = ["Assessment", "InputError", "assess", "parse_case"]

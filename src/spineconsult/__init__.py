"""spineconsult: specialist answers, triage and evidence after spine surgery."""

__version__ = "0.1.0"

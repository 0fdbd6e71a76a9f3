"""De-identification of free text: detect -> resolve -> policy."""

from __future__ import annotations

from collections.abc import Sequence

from spineconsult.deid import policy as policies
from spineconsult.deid.models import DeidResult, PolicyName
from spineconsult.deid.recognizers import detect
from spineconsult.deid.spans import resolve


def deidentify_text(
    text: str,
    policy: PolicyName = "publication",
    known_identities: Sequence[str] = (),
    *,
    case_key: str | None = None,
) -> DeidResult:
    """De-identify `text`; spans give offsets into the input text, never the removed values.

    `known_identities` (account name, e-mail, phone, names the patient gave) are removed wherever they
    appear, also misspelt. `case_key` is required for the research policy (consistent surrogates).
    """
    replace = policies.replacer(policy, case_key)
    spans = resolve(detect(text, known_identities))
    return DeidResult(text=policies.apply(text, spans, replace), spans=spans, policy=policy)

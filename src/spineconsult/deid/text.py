"""De-identification of free text: detect -> resolve -> policy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from spineconsult.deid import policy as policies
from spineconsult.deid.learned.crf import SiteModel, configured_model
from spineconsult.deid.models import DeidResult, PolicyName
from spineconsult.deid.recognizers import detect
from spineconsult.deid.spans import resolve


def deidentify_text(
    text: str,
    policy: PolicyName = "publication",
    known_identities: Sequence[str] = (),
    *,
    case_key: str | None = None,
    model: SiteModel | Literal["configured"] | None = "configured",
) -> DeidResult:
    """De-identify `text`; spans give offsets into the input text, never the removed values.

    `known_identities` (account name, e-mail, phone, names the patient gave) are removed wherever they
    appear, also misspelt. `case_key` is required for the research policy (consistent surrogates).
    `model`: a site-trained recogniser added to the rules; by default the one SPINECONSULT_DEID_MODEL
    names (none: rules only); None forces rules only.
    """
    replace = policies.replacer(policy, case_key)
    chosen = configured_model() if isinstance(model, str) else model
    spans = resolve(detect(text, known_identities, chosen))
    return DeidResult(text=policies.apply(text, spans, replace), spans=spans, policy=policy)

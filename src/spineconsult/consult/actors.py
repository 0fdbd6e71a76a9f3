"""Who is acting: the roles and the authenticated actor the use cases receive."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PATIENT = "patient"
    SPECIALIST = "specialist"
    REVIEWER = "reviewer"
    OPERATOR = "operator"


STAFF = (Role.SPECIALIST, Role.REVIEWER, Role.OPERATOR)


@dataclass(frozen=True)
class Actor:
    """An authenticated account, as the use cases see it."""

    id: int
    role: Role
    email: str
    name: str
    specialty: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

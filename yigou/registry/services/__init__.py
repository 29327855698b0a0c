"""Every write to the registry goes through these functions (DESIGN rule 1)."""

from .households import (
    MemberInput,
    evidence_attach,
    household_record_event,
    household_register,
    household_update,
    identification_record_step,
    member_add,
    member_remove,
    member_reveal,
)
from .producers import (
    coop_member_add,
    linkage_add,
    linkage_end,
    producer_register,
    producer_update,
)

__all__ = [
    "MemberInput",
    "coop_member_add",
    "evidence_attach",
    "household_record_event",
    "household_register",
    "household_update",
    "identification_record_step",
    "linkage_add",
    "linkage_end",
    "member_add",
    "member_remove",
    "member_reveal",
    "producer_register",
    "producer_update",
]

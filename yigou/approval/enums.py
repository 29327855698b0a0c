from django.db import models


class State(models.TextChoices):
    DRAFT = "draft", "未上报"
    SUBMITTED = "submitted", "已上报"
    RETURNED = "returned", "已退回"
    RESUBMITTED = "resubmitted", "重新上报"
    APPROVED = "approved", "已审核"
    UNLOCKED = "unlocked", "已解锁"


class Action(models.TextChoices):
    SUBMIT = "submit", "上报"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回"
    UNLOCK = "unlock", "解锁"


# What each action may start from and where it leads. Submitting from RETURNED or UNLOCKED is a resubmission.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({State.DRAFT}), State.SUBMITTED),
    Action.APPROVE: (frozenset({State.SUBMITTED, State.RESUBMITTED}), State.APPROVED),
    Action.RETURN: (frozenset({State.SUBMITTED, State.RESUBMITTED}), State.RETURNED),
    Action.UNLOCK: (frozenset({State.APPROVED}), State.UNLOCKED),
}
RESUBMITTABLE = frozenset({State.RETURNED, State.UNLOCKED})

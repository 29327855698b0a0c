"""Plans with their tasks, targets and reports; the co-op network; supervision findings; assessment schemes."""

from .assessment import Scheme, SchemeItem
from .network import NetworkSite, TrusteeshipContract
from .plans import Finding, Plan, Reminder, Target, TargetReport, Task, TaskReport

__all__ = [
    "Finding",
    "NetworkSite",
    "Plan",
    "Reminder",
    "Scheme",
    "SchemeItem",
    "Target",
    "TargetReport",
    "Task",
    "TaskReport",
    "TrusteeshipContract",
]

"""A household's status is a fold over its event history; this module is that fold and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from yigou.core.errors import DomainError

from .enums import EventKind, HouseholdStatus, MonitorType

S = HouseholdStatus

# event → (statuses it may follow, status it leads to)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    EventKind.IDENTIFIED: ({S.NON_POOR, S.IDENTIFYING, S.REMOVED}, S.POOR),
    EventKind.EXITED: ({S.POOR}, S.EXITED),
    EventKind.LOOKBACK_REMOVED: ({S.POOR, S.EXITED}, S.REMOVED),
    EventKind.LOOKBACK_ADDED: ({S.NON_POOR, S.IDENTIFYING, S.REMOVED}, S.POOR),
    EventKind.RETURNED: ({S.EXITED}, S.POOR),
}

REGISTERED = {S.POOR, S.EXITED}  # 建档立卡: on the register, including households that have exited


class EventLike(Protocol):
    kind: str
    date: dt.date
    monitor_type: str


@dataclass(frozen=True)
class State:
    status: str = S.NON_POOR
    monitor_type: str = MonitorType.NONE

    @property
    def status_label(self) -> str:
        return S(self.status).label


def apply(state: State, kind: str, monitor_type: str = "") -> State:
    """The state after one more event, or a DomainError naming the illegal move."""
    if kind in TRANSITIONS:
        allowed, target = TRANSITIONS[kind]
        if state.status not in allowed:
            _refuse(state, kind)
        monitor = MonitorType.NONE if target == S.REMOVED else state.monitor_type
        return State(target, monitor)
    if kind == EventKind.MONITOR_STARTED:
        if state.status == S.REMOVED or monitor_type not in MonitorType.values or not monitor_type:
            _refuse(state, kind)
        return State(state.status, monitor_type)
    if kind == EventKind.MONITOR_ENDED:
        if not state.monitor_type:
            _refuse(state, kind)
        return State(state.status, MonitorType.NONE)
    raise DomainError("invalid_input", detail=f"未知的状态事件 {kind}")


def _refuse(state: State, kind: str) -> None:
    raise DomainError("status_transition_illegal", current=state.status_label, action=EventKind(kind).label)


def derive(events: Iterable[EventLike], *, identifying: bool = False) -> State:
    state = State(S.IDENTIFYING if identifying else S.NON_POOR)
    for event in events:
        state = apply(state, event.kind, event.monitor_type)
    return state


def status_on(events: Iterable[EventLike], day: dt.date) -> State:
    """The state as it stood at the end of `day` — what a sale on that date records."""
    return derive(e for e in events if e.date <= day)

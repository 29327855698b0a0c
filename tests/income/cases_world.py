"""Walking a monitoring case through its steps with the test world's users: village staff (永兴村) for the home
check and village review, 永兴镇's office for the township review, 船山区's office for approval and announcement."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from yigou.income import procedure
from yigou.income.cases import case_open
from yigou.income.enums import Channel, StepKind

D = dt.date
FIRST_DAY = D(2026, 3, 2)
ACTOR = {
    StepKind.HOME_CHECK: "village",
    StepKind.VILLAGE_REVIEW: "village",
    StepKind.TOWNSHIP_REVIEW: "yongxing",
    StepKind.COUNTY_APPROVAL: "chuanshan",
    StepKind.ANNOUNCEMENT: "chuanshan",
}


def consent() -> SimpleUploadedFile:
    return SimpleUploadedFile("授权承诺书.pdf", b"%PDF-1.4 signed", content_type="application/pdf")


def open_case(
    world,
    household,
    *,
    on=FIRST_DAY,
    group="marginal",
    risks=("illness",),
    channel=Channel.VISIT,
    actor="village",
):
    return case_open(
        actor=world.users[actor],
        household=household,
        group=group,
        risks=list(risks),
        channel=channel,
        discovered_on=on,
        note="走访发现家中有人住院",
    )


def step(world, case, kind, on, **extra):
    files = extra.pop("files", [consent()] if kind == StepKind.HOME_CHECK else [])
    return procedure.step_record(
        actor=world.users[extra.pop("actor", ACTOR[kind])],
        case=case,
        step=kind,
        date=on,
        files=files,
        **extra,
    )


def identify(world, household, *, on=FIRST_DAY, **case_args):
    """Open a case and walk it to its announcement: home check +1 day, village review +2, township +7 (the 公示 of
    5 days ends at +6), county +8, announcement +9."""
    case = open_case(world, household, on=on, **case_args)
    for kind, days in (
        (StepKind.HOME_CHECK, 1),
        (StepKind.VILLAGE_REVIEW, 2),
        (StepKind.TOWNSHIP_REVIEW, 7),
        (StepKind.COUNTY_APPROVAL, 8),
        (StepKind.ANNOUNCEMENT, 9),
    ):
        step(world, case, kind, on + dt.timedelta(days=days))
    case.refresh_from_db()
    return case

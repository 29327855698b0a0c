"""`yigou demo` on an empty database: bad arguments are refused, and a failed load leaves nothing behind."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yigou.accounts.models import Organisation
from yigou.assist.models import AssistingUnit
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.regions.models import Region
from yigou.registry.models import Household, Producer


def test_refuses_a_household_count_out_of_range(db):
    with pytest.raises(CommandError, match="--households 应在 1 到 100000 之间"):
        call_command("demo", households=0, stdout=io.StringIO())
    assert (Region.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_logins_before_loading_says_there_is_nothing_yet(db):
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    assert out.getvalue().strip() == "尚未加载演示数据，请先运行：yigou demo"


def test_a_failure_late_in_the_load_rolls_back_everything(db, monkeypatch):
    def refuse(**_kwargs):
        raise DomainError("invalid_input", detail="用户名 city 已存在")

    monkeypatch.setattr("yigou.demo.loader.build_users", refuse)
    with pytest.raises(CommandError, match="演示数据加载失败，已全部撤销"):
        call_command("demo", households=20, stdout=io.StringIO())
    counts = [
        m.objects.count() for m in (Region, Household, Producer, AssistingUnit, Organisation, AuditEntry)
    ]
    assert counts == [0, 0, 0, 0, 0, 0]

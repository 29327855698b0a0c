"""The outbound backends: the console masks the phone, locmem keeps it whole, get_backend follows the setting."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings

from yigou.notices import services
from yigou.notices.backends import ConsoleBackend, LocmemBackend, get_backend
from yigou.notices.models import Notice


def test_the_console_backend_writes_one_line_with_the_phone_masked(capsys):
    assert ConsoleBackend().send("13812345678", "【以购助扶】滞销案件待处置") is True
    assert capsys.readouterr().out == "[短信] 138****5678 【以购助扶】滞销案件待处置\n"


def test_the_console_backend_may_write_to_a_given_stream():
    stream = io.StringIO()
    ConsoleBackend(stream).send("13812345678", "测试")
    assert stream.getvalue() == "[短信] 138****5678 测试\n"


def test_the_locmem_backend_keeps_the_phone_in_full():
    backend = LocmemBackend()
    assert backend.send("13812345678", "测试") is True
    assert backend.outbox == [("13812345678", "测试")]


def test_get_backend_loads_the_setting_and_keeps_one_instance_per_value():
    locmem = get_backend()
    assert isinstance(locmem, LocmemBackend) and get_backend() is locmem
    with override_settings(YIGOU_MESSAGE_BACKEND="yigou.notices.backends.ConsoleBackend"):
        assert isinstance(get_backend(), ConsoleBackend)
    assert get_backend() is locmem


@pytest.mark.django_db
@override_settings(YIGOU_MESSAGE_BACKEND="yigou.notices.backends.ConsoleBackend")
def test_notify_through_the_console_prints_the_masked_line(world, capsys, django_capture_on_commit_callbacks):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="13812345678")
    capsys.readouterr()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([a], kind="supply_case", title="滞销案件待处置", body="白菜 500公斤")
    assert capsys.readouterr().out == "[短信] 138****5678 【以购助扶】滞销案件待处置：白菜 500公斤\n"
    assert Notice.objects.get().sent_via == "console"

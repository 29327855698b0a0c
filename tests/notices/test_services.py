"""notify, mark_read and the phone on file: exact rows, one audit entry, text messages only after commit."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings

from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.notices import selectors, services
from yigou.notices.backends import MessageBackend
from yigou.notices.models import Contact, Notice

pytestmark = pytest.mark.django_db
FIELDS = ("recipient__username", "kind", "title", "body", "link", "region_code", "read_at", "sent_via")


class RefusingBackend(MessageBackend):
    name = "refusing"

    def send(self, phone: str, text: str) -> bool:
        raise ConnectionError("gateway down")


def tell(users, title: str = "滞销案件待处置", **extra):
    data = {
        "kind": "supply_case",
        "title": title,
        "body": "永兴村 白菜 待销 500公斤",
        "link": "/supply/cases/7/",
    }
    return services.notify(users, region_code="510903101001", **{**data, **extra})


def test_notify_creates_one_row_per_user_even_when_named_twice(world):
    a, b = world.users["chuanshan"], world.users["yongxing"]

    created = tell([a, b, a], actor=world.users["admin"])

    assert [n.recipient_id for n in created] == [a.pk, b.pk]
    rows = Notice.objects.order_by("id").values_list(*FIELDS)
    same = (
        "supply_case",
        "滞销案件待处置",
        "永兴村 白菜 待销 500公斤",
        "/supply/cases/7/",
        "510903101001",
        None,
        "",
    )
    assert list(rows) == [("chuanshan", *same), ("yongxing", *same)]
    entry = AuditEntry.objects.get(action="notify")
    assert (entry.actor_name, entry.target_type, entry.target_label, entry.region_code, entry.changes) == (
        "admin",
        "notices.notice",
        "滞销案件待处置",
        "510903101001",
        {"kind": "supply_case", "count": 2},
    )


def test_inactive_users_get_nothing_and_no_one_left_writes_nothing(world):
    a, b = world.users["chuanshan"], world.users["yongxing"]
    b.is_active = False
    b.save()

    assert [n.recipient_id for n in tell([a, b])] == [a.pk]
    assert tell([b]) == []
    assert Notice.objects.count() == 1
    assert AuditEntry.objects.filter(action="notify").count() == 1


def test_a_link_off_the_site_is_refused_and_nothing_is_written(world):
    for link in ("https://example.com/x", "//example.com/x", "supply/cases/7/"):
        with pytest.raises(DomainError) as refused:
            tell([world.users["chuanshan"]], link=link)
        assert refused.value.field == "link"
    assert not Notice.objects.exists()
    assert not AuditEntry.objects.filter(action="notify").exists()


def test_recipients_with_a_phone_get_the_text_after_commit(world, outbox, django_capture_on_commit_callbacks):
    a, b = world.users["chuanshan"], world.users["yongxing"]
    services.contact_set(actor=a, user=a, phone="13812345678")

    with django_capture_on_commit_callbacks(execute=True):
        tell([a, b])
        assert outbox == []  # nothing leaves before the transaction commits

    assert outbox == [("13812345678", "【以购助扶】滞销案件待处置：永兴村 白菜 待销 500公斤")]
    assert dict(Notice.objects.values_list("recipient__username", "sent_via")) == {
        "chuanshan": "locmem",
        "yongxing": "",
    }


def test_a_title_without_body_is_the_whole_text(world, outbox, django_capture_on_commit_callbacks):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        tell([a], title="请查看新的预售清单", body="")
    assert outbox == [("13812345678", "【以购助扶】请查看新的预售清单")]


def test_a_rolled_back_change_keeps_no_notice_and_sends_nothing(
    world, outbox, django_capture_on_commit_callbacks
):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="13812345678")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell([a])
        raise RuntimeError("the caller's change failed")
    assert (callbacks, outbox, Notice.objects.count()) == ([], [], 0)


@override_settings(YIGOU_MESSAGE_BACKEND="tests.notices.test_services.RefusingBackend")
def test_a_failing_gateway_leaves_the_notice_in_the_app_only(world, django_capture_on_commit_callbacks):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        tell([a])
    assert list(Notice.objects.values_list("recipient__username", "sent_via")) == [("chuanshan", "")]


def test_delivering_twice_sends_once(world, outbox, django_capture_on_commit_callbacks):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="13812345678")
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = tell([a])
    assert services.deliver([notice.pk]) == 0
    assert len(outbox) == 1


def test_unread_count_and_the_list_newest_first(world):
    a = world.users["chuanshan"]
    first, second, third = (tell([a], title=t)[0] for t in ("一", "二", "三"))
    tell([world.users["anju"]], title="别人的")

    assert selectors.unread_count(a) == 3
    assert [n.title for n in selectors.notices(a)] == ["三", "二", "一"]
    services.mark_read(a, [second.pk])
    assert selectors.unread_count(a) == 2
    assert [n.pk for n in selectors.notices(a, unread_only=True)] == [third.pk, first.pk]


def test_unread_count_is_one_query(world, django_assert_num_queries):
    a = world.users["chuanshan"]
    tell([a])
    with django_assert_num_queries(1):
        assert selectors.unread_count(a) == 1


def test_a_user_marks_only_their_own_notices(world):
    a, other = world.users["chuanshan"], world.users["anju"]
    (mine,) = tell([a])
    (theirs,) = tell([other])

    assert services.mark_read(a, [theirs.pk]) == 0
    assert services.mark_read(a, [mine.pk, theirs.pk]) == 1
    assert services.mark_read(a, [mine.pk]) == 0  # already read
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert selectors.unread_count(other) == 1


def test_mark_read_without_ids_marks_all_of_the_users_unread(world):
    a, other = world.users["chuanshan"], world.users["anju"]
    tell([a, other])
    tell([a])

    assert services.mark_read(a) == 2
    assert services.mark_read(a) == 0
    assert (selectors.unread_count(a), selectors.unread_count(other)) == (0, 1)


def test_the_phone_on_file_is_encrypted_and_its_change_audited_without_the_number(world):
    a = world.users["chuanshan"]
    services.contact_set(actor=a, user=a, phone="138 1234 5678")

    assert selectors.phone_on_file(a) == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM notices_contact")
        (stored,) = cursor.fetchone()
    assert "13812345678" not in stored
    entry = AuditEntry.objects.get(target_type="notices.contact")
    assert (entry.action, entry.actor_name, entry.region_code, entry.changes) == (
        "update",
        "chuanshan",
        "510903000000",
        {"phone": ["***", "***(已修改)"]},
    )


def test_a_bad_phone_or_someone_elses_is_refused_and_nothing_changes(world):
    a, other = world.users["chuanshan"], world.users["anju"]
    with pytest.raises(DomainError) as refused:
        services.contact_set(actor=a, user=a, phone="12345")
    assert refused.value.code == "phone_invalid"
    with pytest.raises(PermissionDeniedError):
        services.contact_set(actor=a, user=other, phone="13812345678")
    assert not Contact.objects.exclude(phone="").exists()
    services.contact_set(actor=world.users["admin"], user=other, phone="13812345678")
    assert selectors.phone_on_file(other) == "13812345678"

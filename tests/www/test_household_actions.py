from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yigou.core.models import AuditEntry
from yigou.registry.models import EvidenceFile, Household, IdentificationStep, StatusEvent


def test_event_earlier_than_last_is_refused_in_chinese_and_writes_nothing(client_for, world):
    hh = world.households["zhang"]
    before = StatusEvent.objects.count(), AuditEntry.objects.count()
    response = client_for("chuanshan").post(
        reverse("www:household_event", args=[hh.pk]),
        {"kind": "exited", "date": "2014-01-01", "reason": "收入稳定超过标准"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "日期 2014-01-01 早于最近一次记录的日期 2014-10-01，状态历史只能按时间顺序追加。" in html
    assert (StatusEvent.objects.count(), AuditEntry.objects.count()) == before
    assert Household.objects.get(pk=hh.pk).status == "poor"


def test_exit_event_with_evidence_is_recorded(client_for, world):
    hh = world.households["zhang"]
    upload = SimpleUploadedFile("验收表.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client = client_for("chuanshan")
    response = client.post(
        reverse("www:household_event", args=[hh.pk]),
        {"kind": "exited", "date": "2019-12-01", "reason": "两不愁三保障达标", "evidence": [upload]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("www:household", args=[hh.pk])
    assert Household.objects.get(pk=hh.pk).status == "exited"
    event = StatusEvent.objects.get(household=hh, kind="exited")
    assert [f.name for f in event.files.all()] == ["验收表.pdf"]
    page = client.get(reverse("www:household", args=[hh.pk])).content.decode()
    assert "已记录“脱贫退出”（2019-12-01）。" in page
    assert reverse("www:evidence", args=[event.files.get().pk]) in page


def test_evidence_download_is_scoped(client_for, world):
    hh = world.households["zhang"]
    client_for("chuanshan").post(
        reverse("www:household_event", args=[hh.pk]),
        {
            "kind": "exited",
            "date": "2019-12-01",
            "reason": "达标",
            "evidence": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 abc")],
        },
    )
    file = EvidenceFile.objects.get(household=hh)
    own = client_for("chuanshan").get(reverse("www:evidence", args=[file.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4 abc"
    assert client_for("anju").get(reverse("www:evidence", args=[file.pk])).status_code == 404


def test_illegal_transition_shows_message(client_for, world):
    hh = world.households["wang"]
    response = client_for("chuanshan").post(
        reverse("www:household_event", args=[hh.pk]), {"kind": "returned", "date": "2020-01-01"}
    )
    assert response.status_code == 400
    assert "当前状态为“一般农户”，不能执行“返贫”。" in response.content.decode()
    assert StatusEvent.objects.filter(household=hh).count() == 0


def test_identification_step_in_order_and_out_of_order(client_for, world):
    hh, client = world.households["wang"], client_for("chuanshan")
    url = reverse("www:household_step", args=[hh.pk])
    wrong = client.post(url, {"step": "first_notice", "date": "2020-03-01"})
    assert wrong.status_code == 400
    assert "识别程序须按顺序进行：下一步应为“农户申请”，不能记录“村级第一次公示”。" in wrong.content.decode()
    assert IdentificationStep.objects.filter(household=hh).count() == 0
    right = client.post(url, {"step": "application", "date": "2020-03-01", "note": "本人申请"})
    assert right.status_code == 302
    assert list(IdentificationStep.objects.filter(household=hh).values_list("step", flat=True)) == [
        "application"
    ]
    assert Household.objects.get(pk=hh.pk).status == "identifying"
    page = client.get(reverse("www:household", args=[hh.pk])).content.decode()
    assert '<option value="village_review" selected>' in page


def test_village_user_records_but_auditor_may_not(client_for, world):
    hh = world.households["zhang"]
    data = {"kind": "monitor_started", "date": "2021-06-01", "monitor_type": "unstable", "reason": "因病"}
    assert client_for("auditor").post(reverse("www:household_event", args=[hh.pk]), data).status_code == 403
    assert client_for("village").post(reverse("www:household_event", args=[hh.pk]), data).status_code == 302
    assert Household.objects.get(pk=hh.pk).monitor_type == "unstable"


def test_event_on_other_county_household_is_404(client_for, world):
    hh = world.households["zhang"]
    response = client_for("anju").post(
        reverse("www:household_event", args=[hh.pk]), {"kind": "exited", "date": "2020-01-01", "reason": "x"}
    )
    assert response.status_code == 404
    assert StatusEvent.objects.filter(household=hh).count() == 1


def test_reveal_by_chuanshan_is_audited_once(client_for, world):
    hh = world.households["zhang"]
    spouse = hh.members.get(name="李秀英")
    before = AuditEntry.objects.filter(action="reveal").count()
    response = client_for("chuanshan").post(
        reverse("www:member_reveal", args=[hh.pk, spouse.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert spouse.id_number in html
    assert "13800001111" in html
    assert "长期慢性病" in html
    assert "<html" not in html
    entries = AuditEntry.objects.filter(action="reveal")
    assert entries.count() == before + 1
    entry = entries.order_by("-id").first()
    assert (entry.actor_name, entry.target_type, entry.target_id) == (
        "chuanshan",
        "registry.member",
        str(spouse.pk),
    )


def test_reveal_without_htmx_renders_a_full_page(client_for, world):
    hh = world.households["zhang"]
    head = hh.members.get(name="张德明")
    response = client_for("chuanshan").post(reverse("www:member_reveal", args=[hh.pk, head.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "张德明 完整信息" in html
    assert head.id_number in html


def test_reveal_without_permission_is_403_and_not_audited(client_for, world):
    hh = world.households["liu"]
    member = hh.members.get()
    before = AuditEntry.objects.filter(action="reveal").count()
    response = client_for("anju").post(reverse("www:member_reveal", args=[hh.pk, member.pk]))
    assert response.status_code == 403
    assert member.id_number not in response.content.decode()
    assert AuditEntry.objects.filter(action="reveal").count() == before


def test_reveal_of_other_county_member_is_404(client_for, world):
    hh = world.households["liu"]
    response = client_for("chuanshan").post(reverse("www:member_reveal", args=[hh.pk, hh.members.get().pk]))
    assert response.status_code == 404


def test_reveal_needs_post(client_for, world):
    hh = world.households["zhang"]
    member = hh.members.first()
    assert (
        client_for("chuanshan").get(reverse("www:member_reveal", args=[hh.pk, member.pk])).status_code == 405
    )


def test_reveal_is_csrf_protected(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["chuanshan"])
    hh = world.households["zhang"]
    response = client.post(reverse("www:member_reveal", args=[hh.pk, hh.members.first().pk]))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="reveal").count() == 0

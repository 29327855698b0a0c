"""Two offices claiming the same unit at the same moment: the second save meets the unique (unit, year)
constraint after its links check has already passed. Simulated by creating the other request's row first and
letting the check see nothing (as it would have, a moment earlier). The answer is a Chinese DomainError, not a
500, and nothing of the losing save is kept."""

from __future__ import annotations

from yigou.shares import services
from yigou.shares.models import ShareFiling

from .test_services import refused, save


def test_merging_a_unit_that_just_filed_itself_is_refused_in_chinese(ex, monkeypatch):
    year = ex.year + 1
    save(ex, "C", year=year, mode="none")  # the other office's request, committed a moment ago
    monkeypatch.setattr(services, "_ensure_links_free", lambda *args, **kwargs: None)

    msg = refused(
        lambda: save(
            ex,
            "G",
            year=year,
            mode="shared",
            canteen_total="1000.00",
            ratio="20",
            covered_units=[ex.units["C"]],
        )
    )

    assert msg == (
        f"输入有误：“{ex.units['C'].name}”的{year}年预留份额刚刚已由其他填报登记（本单位填报或合并填报），"
        "本次未保存，请刷新后重新选择"
    )
    assert list(ShareFiling.objects.filter(year=year).values_list("unit_id", "mode")) == [
        (ex.units["C"].pk, "none")
    ]


def test_a_unit_filing_itself_just_after_being_merged_elsewhere_is_refused(ex, monkeypatch):
    year = ex.year + 1
    save(
        ex, "A", year=year, mode="shared", canteen_total="1000.00", ratio="20", covered_units=[ex.units["G"]]
    )
    # G's own request read "no filing of mine yet" before A's merge landed.
    monkeypatch.setattr(services, "_existing", lambda unit, year: None)
    monkeypatch.setattr(services, "_ensure_links_free", lambda *args, **kwargs: None)

    msg = refused(lambda: save(ex, "G", year=year, mode="none"))

    assert msg.startswith(f"输入有误：“{ex.units['G'].name}”的{year}年预留份额刚刚已由其他填报登记")
    merged = ShareFiling.objects.get(unit=ex.units["G"], year=year)
    assert (merged.mode, merged.host.unit_id) == ("merged", ex.units["A"].pk)

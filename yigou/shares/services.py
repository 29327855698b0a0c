"""Filing a reserved share and its review: draft → submitted → approved / returned. Every change is audited.

Unit staff file for their own unit (administrators for any). A unit that runs a canteen shared with other
budget units files for all of them (共用食堂): the others get a filing of mode 合并填报 that follows the host's
state and carries no amounts. Each unit, union or contractor may count towards only one filing a year, so
the regional totals never count a purchase twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible, scope_for
from yigou.assist.models import AssistingUnit
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.regions.models import Region

from .enums import EDITABLE, CanteenMode, FilingStatus
from .floors import check_year, floor_for, parse_ratio
from .models import ShareFiling, ShareFloor

CENT = Decimal("0.01")
FIELDS = (
    "mode",
    "canteen_total",
    "ratio",
    "reserved_amount",
    "union_per_head",
    "union_staff",
    "union_amount",
    "union_unit_id",
    "contractor_unit_id",
    "contractor_user_id",
    "note",
)
WITH_CANTEEN = (CanteenMode.OWN, CanteenMode.SHARED, CanteenMode.OUTSOURCED)


@dataclass
class FilingInput:
    mode: str
    canteen_total: Any = 0
    ratio: Any = 0
    union_per_head: Any = 0
    union_staff: Any = 0
    union_unit: AssistingUnit | None = None
    contractor_unit: AssistingUnit | None = None
    contractor_user: User | None = None
    covered_units: Sequence[AssistingUnit] = field(default_factory=tuple)
    note: str = ""


def money(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0).strip())
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效金额") from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("invalid_input", detail=f"{what}不能为负数")
    if amount != amount.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}最多两位小数（元）")
    if amount >= Decimal("1e12"):
        raise DomainError("invalid_input", detail=f"{what}超出范围")
    return amount.quantize(CENT)


def _count(value: Any, what: str) -> int:
    try:
        number = int(str(value if value not in (None, "") else 0).strip())
    except ValueError:
        raise DomainError("invalid_input", detail=f"{what}“{value}”须为整数") from None
    if number < 0 or number > 10_000_000:
        raise DomainError("invalid_input", detail=f"{what}须为 0 或正整数")
    return number


def ensure_own_unit(actor: Any, unit: AssistingUnit) -> None:
    """Filing is the unit's own business: its staff, or an administrator acting for it."""
    ensure_can(actor, "shares.file")
    scope = scope_for(actor)
    if not (scope.everything or (scope.kind == "unit" and scope.unit_id == unit.pk)):
        raise PermissionDeniedError("out_of_scope")


def _canteen(data: FilingInput) -> tuple[Decimal, Decimal]:
    total, ratio = money(data.canteen_total, "食堂食材采购总额"), parse_ratio(data.ratio)
    if data.mode == CanteenMode.NONE:
        if total or ratio:
            raise DomainError(
                "invalid_input", detail="无食堂单位不设食堂份额，食堂食材采购总额和预留比例须为 0"
            )
        return total, ratio
    if total <= 0:
        raise DomainError("invalid_input", detail="须填写食堂食材采购总额（大于 0）")
    if ratio <= 0:
        raise DomainError("invalid_input", detail="须填写预留比例（大于 0）")
    return total, ratio


def _contractor(data: FilingInput) -> None:
    given = [x for x in (data.contractor_unit, data.contractor_user) if x is not None]
    if data.mode != CanteenMode.OUTSOURCED:
        if given:
            raise DomainError("invalid_input", detail="只有“食堂委托经营”才填写食堂承包方")
        return
    if len(given) != 1:
        raise DomainError("invalid_input", detail="食堂委托经营须填写承包企业或承包方账号（二选一）")
    user = data.contractor_user
    if user is not None and (user.role != Role.BUYER or not user.is_active):
        raise DomainError("invalid_input", detail=f"承包方账号“{user.username}”须为有效的个人/企业采购人账号")


def _covered(unit: AssistingUnit, data: FilingInput) -> list[AssistingUnit]:
    covered = list({u.pk: u for u in data.covered_units}.values())
    if data.mode != CanteenMode.SHARED:
        if covered:
            raise DomainError("invalid_input", detail="只有“共用食堂（本单位合并填报）”才选择合并填报的单位")
        return covered
    if not covered:
        raise DomainError("invalid_input", detail="共用食堂须选择由本单位合并填报的其他预算单位")
    for other in covered:
        if other.pk == unit.pk:
            raise DomainError("invalid_input", detail="合并填报的单位不能是本单位")
        if not other.is_budget_unit:
            raise DomainError("invalid_input", detail=f"“{other.name}”不是预算单位")
        if other.region_id[:6] != unit.region_id[:6]:
            raise DomainError("invalid_input", detail=f"“{other.name}”与本单位不在同一区县，不能共用食堂")
    return covered


def _ensure_links_free(
    filing: ShareFiling | None,
    unit: AssistingUnit,
    year: int,
    data: FilingInput,
    covered: list[AssistingUnit],
) -> None:
    """One unit, union or contractor counts to one filing a year; otherwise a purchase would count twice."""
    units = {u.pk: u for u in [unit, *covered, data.union_unit, data.contractor_unit] if u is not None}
    if data.union_unit is not None and data.union_unit.pk == unit.pk:
        raise DomainError("invalid_input", detail="工会须是单独登记的单位；本单位自身的采购已计入")
    if len(units) < 1 + len(covered) + (data.union_unit is not None) + (data.contractor_unit is not None):
        raise DomainError(
            "invalid_input", detail="同一单位不能在本填报中重复出现（合并单位、工会、承包企业）"
        )
    others = ShareFiling.objects.filter(year=year).select_related("unit", "host__unit")
    if filing is not None:
        others = others.exclude(pk=filing.pk).exclude(host=filing)
    links = Q(unit_id__in=units) | Q(union_unit_id__in=units) | Q(contractor_unit_id__in=units)
    if data.contractor_user is not None:
        links |= Q(contractor_user=data.contractor_user)
    clash = others.filter(links).first()
    if clash is not None:
        owner = clash.host.unit if clash.host_id else clash.unit  # type: ignore[union-attr]
        raise DomainError(
            "invalid_input",
            detail=f"所选单位或承包方已计入“{owner.name}”的{year}年预留份额，同一单位的采购只能计入一个填报",
        )


def _apply(filing: ShareFiling, data: FilingInput) -> None:
    total, ratio = _canteen(data)
    per_head, staff = money(data.union_per_head, "工会人均额度"), _count(data.union_staff, "工会职工人数")
    filing.mode, filing.canteen_total, filing.ratio = data.mode, total, ratio
    filing.reserved_amount = (total * ratio / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    filing.union_per_head, filing.union_staff = per_head, staff
    filing.union_amount = (per_head * staff).quantize(CENT)
    filing.union_unit, filing.contractor_unit = data.union_unit, data.contractor_unit
    filing.contractor_user, filing.note = data.contractor_user, data.note.strip()[:500]


def _existing(unit: AssistingUnit, year: int) -> ShareFiling | None:
    filing = ShareFiling.objects.select_for_update().filter(unit=unit, year=year).first()
    if filing is None:
        return None
    if filing.mode == CanteenMode.MERGED:
        host = ShareFiling.objects.select_related("unit").get(pk=int(filing.host_id or 0))
        raise DomainError("invalid_input", detail=f"本单位{year}年由“{host.unit.name}”合并填报，无需单独填报")
    if filing.status not in EDITABLE:
        raise DomainError("share_not_editable", status=filing.get_status_display(), action="修改")
    return filing


@transaction.atomic
def filing_save(*, actor: Any, unit: AssistingUnit, year: int, data: FilingInput) -> ShareFiling:
    """Create or change the unit's draft (or returned) filing for the year."""
    ensure_own_unit(actor, unit)
    year = check_year(year)
    if not unit.is_budget_unit:
        raise DomainError("invalid_input", detail=f"“{unit.name}”不是预算单位，无需填报预留份额")
    if data.mode not in WITH_CANTEEN and data.mode != CanteenMode.NONE:
        raise DomainError("invalid_input", detail=f"食堂情况“{data.mode}”不在可选范围内")
    filing = _existing(unit, year)
    _contractor(data)
    covered = _covered(unit, data)
    _ensure_links_free(filing, unit, year, data, covered)
    before = audit.snapshot(filing, FIELDS) if filing else {}
    filing = filing or ShareFiling(unit=unit, year=year)
    _apply(filing, data)
    _save_claiming(filing)
    audit.record(
        actor=actor,
        action="share_filing_save",
        target=filing,
        changes=audit.diff(before, audit.snapshot(filing, FIELDS)),
    )
    _sync_members(actor, filing, covered)
    return filing


def _save_claiming(filing: ShareFiling) -> None:
    """Save in a savepoint. The links check above reads without locking, so two requests filing for the same unit
    at the same moment (one merging it under a shared canteen, the other filing it or merging it elsewhere) both
    pass it; the loser hits the unique (unit, year) constraint here and gets a Chinese answer, not a 500, and the
    whole save rolls back."""
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        raise DomainError(
            "invalid_input",
            detail=f"“{filing.unit.name}”的{filing.year}年预留份额刚刚已由其他填报"
            "登记（本单位填报或合并填报），本次未保存，请刷新后重新选择",
        ) from None


def _sync_members(actor: Any, host: ShareFiling, covered: list[AssistingUnit]) -> None:
    wanted = {u.pk for u in covered}
    for member in host.members.select_related("unit"):
        if member.unit_id not in wanted:
            audit.record(
                actor=actor,
                action="share_filing_unmerge",
                target=member,
                note=f"不再由“{host.unit.name}”合并填报",
            )
            member.delete()
    present = set(host.members.values_list("unit_id", flat=True))
    for unit in covered:
        if unit.pk in present:
            continue
        member = ShareFiling(
            unit=unit,
            year=host.year,
            mode=CanteenMode.MERGED,
            host=host,
            status=host.status,
            note=f"由“{host.unit.name}”合并填报",
        )
        _save_claiming(member)
        audit.record(actor=actor, action="share_filing_merge", target=member, note=member.note)


def _locked(actor: Any, filing: ShareFiling) -> ShareFiling:
    ensure_visible(actor, filing)
    locked = ShareFiling.objects.select_for_update().select_related("unit", "unit__region").get(pk=filing.pk)
    if locked.mode == CanteenMode.MERGED:
        raise DomainError("invalid_input", detail="合并填报的单位随合并填报单位一起报送和审核")
    return locked


def _move(actor: Any, filing: ShareFiling, status: str, action: str, note: str = "") -> None:
    before, filing.status = filing.status, status
    filing.save()
    filing.members.update(status=status, updated_at=timezone.now())
    audit.record(actor=actor, action=action, target=filing, note=note, changes={"status": [before, status]})


def flags(filing: ShareFiling) -> None:
    """Below the applying floor, or below last year's reserved amount: what the reviewer must look at."""
    floor = floor_for(filing.unit.region_id, filing.year)
    last = (
        ShareFiling.objects.filter(unit_id=filing.unit_id, year=filing.year - 1, status=FilingStatus.APPROVED)
        .exclude(mode=CanteenMode.MERGED)
        .values_list("reserved_amount", flat=True)
        .first()
    )
    filing.floor_ratio, filing.last_year_amount = floor.ratio, last
    filing.below_floor = filing.mode != CanteenMode.NONE and filing.ratio < floor.ratio
    filing.below_last_year = last is not None and filing.reserved_amount < last


@transaction.atomic
def filing_submit(*, actor: Any, filing: ShareFiling) -> ShareFiling:
    locked = _locked(actor, filing)
    ensure_own_unit(actor, locked.unit)
    if locked.status not in EDITABLE:
        raise DomainError("share_not_editable", status=locked.get_status_display(), action="报送")
    flags(locked)
    locked.submitted_at, locked.submitted_by = timezone.now(), actor
    warnings = [
        text
        for flag, text in ((locked.below_floor, "低于最低比例"), (locked.below_last_year, "低于上年金额"))
        if flag
    ]
    _move(actor, locked, FilingStatus.SUBMITTED, "share_filing_submit", note="；".join(warnings))
    return locked


def _reviewable(actor: Any, filing: ShareFiling, action: str) -> ShareFiling:
    ensure_can(actor, "shares.review")
    locked = _locked(actor, filing)
    if locked.status != FilingStatus.SUBMITTED:
        raise DomainError("share_not_editable", status=locked.get_status_display(), action=action)
    return locked


@transaction.atomic
def filing_approve(*, actor: Any, filing: ShareFiling, note: str = "") -> ShareFiling:
    """Below the floor is never approved; below last year's amount only with the reviewer's reason."""
    locked = _reviewable(actor, filing, "审核通过")
    flags(locked)  # the floor may have changed since submission
    if locked.below_floor:
        floor = floor_for(locked.unit.region_id, locked.year)
        raise DomainError(
            "share_below_floor",
            ratio=locked.ratio,
            floor=floor.ratio,
            year=locked.year,
            region=floor.region_name or "全国",
        )
    if locked.below_last_year and not note.strip():
        raise DomainError(
            "share_below_last_year", amount=locked.reserved_amount, last=locked.last_year_amount
        )
    locked.reviewed_at, locked.reviewed_by, locked.review_note = timezone.now(), actor, note.strip()[:500]
    _move(actor, locked, FilingStatus.APPROVED, "share_filing_approve", note=locked.review_note)
    return locked


@transaction.atomic
def filing_return(*, actor: Any, filing: ShareFiling, reason: str) -> ShareFiling:
    locked = _reviewable(actor, filing, "退回")
    if not reason.strip():
        raise DomainError("invalid_input", detail="退回须填写原因")
    locked.reviewed_at, locked.reviewed_by, locked.review_note = timezone.now(), actor, reason.strip()[:500]
    _move(actor, locked, FilingStatus.RETURNED, "share_filing_return", note=locked.review_note)
    return locked


@transaction.atomic
def floor_set(*, actor: Any, region: Region, year: int, ratio: Any, note: str = "") -> ShareFloor:
    """An office sets (or changes) the floor of its own region or a region below it."""
    ensure_can(actor, "shares.floor")
    ensure_region_in_scope(actor, region.code)
    year = check_year(year)
    value = parse_ratio(ratio, "最低预留比例")
    if value <= 0:
        raise DomainError("invalid_input", detail="最低预留比例须大于 0")
    floor = ShareFloor.objects.select_for_update().filter(region=region, year=year).first()
    before = str(floor.ratio) if floor else None
    if floor is None:
        floor = ShareFloor(region=region, year=year)
    floor.ratio, floor.note = value, note.strip()[:300]
    floor.save()
    audit.record(
        actor=actor,
        action="share_floor_set",
        target=floor,
        note=floor.note,
        changes={"ratio": [before, str(value)], "year": year},
    )
    return floor

"""The arithmetic of every distribution, pure and exact: shares to the fen by the largest-remainder method, and the
cooperative surplus split (reserve, ≥60% by trading volume, the rest by capital accounts with preferred shares'
guaranteed minimum paid first). Nothing here reads or writes the database; each result carries its working."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from yigou.core.errors import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MIN_TRADING_RATE = Decimal(
    60
)  # 农民专业合作社法 第四十四条: 按交易量（额）返还的总额不得低于可分配盈余的百分之六十


def fen(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    return f"{fen(value):,.2f}"


def largest_remainder(total: Decimal, weights: Sequence[Decimal]) -> tuple[list[Decimal], int]:
    """`total` split in proportion to `weights`, each part in whole fen and the parts summing to `total` exactly.

    Every part first gets the fen its exact share rounds down to; the fen left over go one each to the parts with
    the largest fractions dropped (ties to the earlier part). Returns the parts and how many fen were handed out so.
    """
    if any(w < 0 for w in weights):
        raise DomainError("invalid_input", detail="分配依据不能为负数")
    whole = sum(weights, Decimal(0))
    cents = int((total / CENT).to_integral_value())
    if whole <= 0:
        if cents:
            raise DomainError("invalid_input", detail="分配依据合计为 0，无法按比例分配")
        return [Decimal("0.00") for _ in weights], 0
    exact = [Decimal(cents) * w / whole for w in weights]
    floors = [int(x) for x in exact]  # weights are non-negative, so int() rounds down
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(c) * CENT for c in floors], left


@dataclass(frozen=True)
class Payee:
    """Who a part goes to: a cooperative member by id, with the household it pays (None for members without one)."""

    key: int
    name: str
    household_id: int | None


@dataclass(frozen=True)
class Account:
    payee: Payee
    kind: str  # AccountKind value
    amount: Decimal
    min_rate: Decimal = Decimal(0)

    @property
    def minimum(self) -> Decimal:
        return fen(self.amount * self.min_rate / HUNDRED)


@dataclass(frozen=True)
class Line:
    payee: Payee
    part: str  # Part value (an AccountKind value for capital lines)
    basis: Decimal
    basis_label: str
    amount: Decimal


@dataclass
class Result:
    lines: list[Line] = field(default_factory=list)
    working: list[dict[str, str]] = field(default_factory=list)

    def step(self, label: str, formula: str, value: Decimal) -> None:
        self.working.append({"label": label, "formula": formula, "value": yuan(value)})

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class SurplusPlan:
    surplus: Decimal  # 当年盈余
    reserve_rate: Decimal  # 提取公积金比例 %
    trading_rate: Decimal  # 按交易额返还比例 %, at least 60


def check_rate(value: Decimal, what: str, field_name: str) -> Decimal:
    if not Decimal(0) <= value <= HUNDRED or value != value.quantize(CENT):
        raise DomainError(
            "invalid_input", detail=f"{what}须在 0 到 100 之间，最多 2 位小数", field=field_name
        )
    return value


def surplus_split(
    plan: SurplusPlan, volumes: Sequence[tuple[Payee, Decimal]], accounts: Sequence[Account]
) -> Result:
    """The whole cooperative surplus distribution with its working."""
    if plan.trading_rate < MIN_TRADING_RATE:
        raise DomainError(
            "invalid_input",
            detail=f"按交易额返还比例 {plan.trading_rate}% 低于法定的 60%（农民专业合作社法第四十四条）",
            field="trading_rate",
        )
    check_rate(plan.trading_rate, "按交易额返还比例", "trading_rate")
    check_rate(plan.reserve_rate, "公积金提取比例", "reserve_rate")
    if plan.surplus <= 0 or plan.surplus != fen(plan.surplus):
        raise DomainError("invalid_input", detail="当年盈余须大于 0，最多 2 位小数", field="surplus")
    result = Result()
    reserve = fen(plan.surplus * plan.reserve_rate / HUNDRED)
    distributable = plan.surplus - reserve
    trading = fen(distributable * plan.trading_rate / HUNDRED)
    capital = distributable - trading
    result.step("当年盈余", "", plan.surplus)
    result.step("提取公积金", f"{yuan(plan.surplus)} × {plan.reserve_rate}%", reserve)
    result.step("可分配盈余", f"{yuan(plan.surplus)} − {yuan(reserve)}", distributable)
    result.step("按交易额返还", f"{yuan(distributable)} × {plan.trading_rate}%（不低于 60%）", trading)
    result.step("按股金分红", f"{yuan(distributable)} − {yuan(trading)}", capital)
    _trading_part(result, trading, volumes)
    _capital_part(result, capital, accounts)
    return result


def _trading_part(result: Result, pot: Decimal, volumes: Sequence[tuple[Payee, Decimal]]) -> None:
    whole = sum((v for _, v in volumes), Decimal(0))
    if pot > 0 and whole <= 0:
        raise DomainError(
            "invalid_input", detail="本年度社员交易额合计为 0，无法按交易额返还", field="trading_rate"
        )
    parts, left = largest_remainder(pot, [v for _, v in volumes])
    for (payee, volume), amount in zip(volumes, parts, strict=True):
        result.lines.append(Line(payee, "trading", volume, f"交易额 {yuan(volume)} 元", amount))
    result.step("社员交易额合计", f"尾差 {left} 分按最大余数法分配", whole)


def _minimums_first(pot: Decimal, preferred: list[Account], others: list[Account]) -> list[Account]:
    """The preferred accounts held at their guaranteed minimum: those whose share in proportion to capital would
    fall below it. Found by fixing them one round at a time, since each fix lowers the rest's share."""
    fixed: list[Account] = []
    free = list(preferred)
    while True:
        rest = pot - sum((a.minimum for a in fixed), Decimal(0))
        weight = sum((a.amount for a in free + others), Decimal(0))
        below = [a for a in free if weight <= 0 or rest * a.amount / weight < a.minimum]
        if not below:
            return fixed
        fixed += below
        free = [a for a in free if a not in below]


def _capital_part(result: Result, pot: Decimal, accounts: Sequence[Account]) -> None:
    preferred = [a for a in accounts if a.kind == "preferred" and a.minimum > 0]
    others = [a for a in accounts if a not in preferred]
    owed = sum((a.minimum for a in preferred), Decimal(0))
    if pot > 0 and not accounts:
        raise DomainError(
            "invalid_input", detail="本社没有登记股金账户，按股分红部分无法分配", field="trading_rate"
        )
    if owed >= pot:
        # Not even the guarantees are covered: preferred shares are paid first, in proportion to what is owed.
        parts, left = largest_remainder(pot, [a.minimum for a in preferred])
        result.step("优先股保底合计", f"超过按股分红额，按保底额比例分配，尾差 {left} 分", owed)
        _capital_lines(result, preferred, parts, "保底 ")
        _capital_lines(result, others, [Decimal("0.00")] * len(others), "")
        return
    fixed = _minimums_first(pot, preferred, others)
    for a in fixed:
        result.step(f"优先股保底（{a.payee.name}）", f"{yuan(a.amount)} × {a.min_rate}%", a.minimum)
    rest_accounts = [a for a in accounts if a not in fixed]
    rest = pot - sum((a.minimum for a in fixed), Decimal(0))
    parts, left = largest_remainder(rest, [a.amount for a in rest_accounts])
    weight = sum((a.amount for a in rest_accounts), Decimal(0))
    result.step(
        "其余股金按股分红", f"{yuan(rest)} ÷ 股金 {yuan(weight)}，尾差 {left} 分按最大余数法分配", rest
    )
    _capital_lines(result, fixed, [a.minimum for a in fixed], "保底 ")
    _capital_lines(result, rest_accounts, parts, "")


def _capital_lines(result: Result, accounts: Sequence[Account], parts: Sequence[Decimal], tag: str) -> None:
    for account, amount in zip(accounts, parts, strict=True):
        label = f"{tag}股金 {yuan(account.amount)} 元"
        if account.min_rate:
            label += f"（保底 {account.min_rate}%）"
        result.lines.append(Line(account.payee, account.kind, account.amount, label, amount))


def proportional(pot: Decimal, payees: Sequence[tuple[Payee, Decimal]], part: str, what: str) -> Result:
    """A pot shared by weights (asset returns, piece-work or wage sums pass their own amounts as weights)."""
    result = Result()
    parts, left = largest_remainder(pot, [w for _, w in payees])
    whole = sum((w for _, w in payees), Decimal(0))
    for (payee, weight), amount in zip(payees, parts, strict=True):
        result.lines.append(Line(payee, part, weight, f"{what} {weight}", amount))
    result.step("分配总额", f"按{what}（合计 {whole}）分配，尾差 {left} 分按最大余数法分配", pot)
    return result

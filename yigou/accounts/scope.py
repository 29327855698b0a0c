"""THE place that decides who may see and change what.

Every selector, page, API view, admin list and export filters through `restrict`; every service checks
`ensure_can`. A model that is not listed in RULES is visible to system administrators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.regions.models import prefix_of

from .enums import Role
from .models import Organisation, User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """What one user's data horizon is: everything, a region subtree, one assisting unit, or one producer."""

    kind: str  # "all" | "region" | "unit" | "producer" | "person" | "none"
    region_prefix: str = ""
    unit_id: int | None = None
    producer_id: int | None = None
    user_id: int | None = None  # "person": an individual or company buyer sees only its own orders

    @property
    def everything(self) -> bool:
        return self.kind == "all"


NOTHING = Scope("none")


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope("all")
    buyer = _buyer_scope(user)
    if buyer is not None:
        return buyer
    org = _organisation(user)
    if org is None:
        return NOTHING
    if user.role in (Role.OFFICE, Role.VILLAGE, Role.AUDITOR):
        return Scope("region", region_prefix=prefix_of(org.region_id))
    if user.role == Role.UNIT and org.unit_id:
        return Scope("unit", unit_id=org.unit_id)
    if user.role == Role.PRODUCER and org.producer_id:
        return Scope("producer", producer_id=org.producer_id)
    return NOTHING


def _organisation(user: Any) -> Any:
    """The user's organisation with its unit in one query: the checks after scope (a unit's buyer, its name)
    then find the unit cached instead of reading it again."""
    if not user.organisation_id or User._meta.get_field("organisation").is_cached(user):
        return user.organisation
    user.organisation = Organisation.objects.select_related("unit").filter(pk=user.organisation_id).first()
    return user.organisation


def _buyer_scope(user: Any) -> Scope | None:
    return Scope("person", user_id=user.pk) if user.role == Role.BUYER else None


@dataclass(frozen=True)
class Rule:
    """How one model is reached from each kind of scope: lookups ORed together, matched by prefix or equality."""

    region: tuple[str, ...] = ()  # lookups to a region code, matched by the scope's code prefix
    unit: tuple[str, ...] = ()  # lookups to an assisting unit id
    producer: tuple[str, ...] = ()  # lookups to a producer id
    person: tuple[str, ...] = ()  # lookups to the user id of a "person" scope
    # Scope kinds whose lookups cross to-many relations: those filter by pk to avoid duplicate rows,
    # the others filter the table directly (the common region case stays one indexed LIKE).
    spans_many: frozenset[str] = frozenset()

    def via(self, field: str) -> Rule:
        """The same rule for a child model reached through `field` (e.g. a member via its household)."""

        def nest(lookups: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(f"{field}__{lookup}" for lookup in lookups)

        return Rule(
            nest(self.region),
            nest(self.unit),
            nest(self.producer),
            nest(self.person),
            spans_many=self.spans_many,
        )


def _any_of(lookups: tuple[str, ...], operator: str, value: object) -> Q | None:
    if not lookups:
        return None
    q = Q()
    for lookup in lookups:
        q |= Q(**{f"{lookup}{operator}": value})
    return q


HOUSEHOLD = Rule(
    region=("village__code",),
    unit=("village__unit_pairings__unit_id", "cadre_pairings__cadre__unit_id"),
    producer=("linkages__producer_id", "coop_memberships__producer_id"),
    spans_many=frozenset({"unit", "producer"}),
)
PRODUCER = Rule(region=("region__code",), producer=("pk",))
UNIT = Rule(
    region=(
        "region__code",
        "village_pairings__village__code",
        "cadres__household_pairings__household__village__code",
    ),
    unit=("pk",),
    spans_many=frozenset({"region"}),
)
CADRE = Rule(
    region=(
        "unit__region__code",
        "household_pairings__household__village__code",
        "unit__village_pairings__village__code",
    ),
    unit=("unit_id",),
    spans_many=frozenset({"region"}),
)

# A purchase belongs to the seller's region; the buying unit and the selling producer see it too.
LEDGER = Rule(
    region=("region__code",),
    unit=("buyer_unit_id", "buyer_cadre__unit_id"),
    producer=("seller_producer_id",),
)

PRODUCT = Rule(region=("region__code",), producer=("producer_id",))
PRESALE = Rule(region=("region__code",), producer=("producer_id",))
# An order belongs to the seller's region and producer, and to whoever bought: a unit or one person.
ORDER = Rule(
    region=("region__code",),
    unit=("buyer_unit_id", "buyer_cadre__unit_id"),
    producer=("producer_id",),
    person=("buyer_user_id",),
)

CONTRACT = Rule(
    region=(
        "parties__village__code",
        "parties__household__village__code",
        "parties__producer__region__code",
        "parties__unit__region__code",
        "parties__cadre__unit__region__code",
    ),
    unit=("parties__unit_id", "parties__cadre__unit_id"),
    producer=("parties__producer_id",),
    spans_many=frozenset({"region", "unit", "producer"}),
)
PREORDER = Rule(
    region=("region__code", "buyer_unit__region__code", "buyer_cadre__unit__region__code"),
    unit=("buyer_unit_id", "buyer_cadre__unit_id"),
    producer=("seller_producer_id",),
)
BUYBACK = Rule(
    region=("villages__village__code", "enterprise__region__code"),
    unit=("buyer_unit_id",),
    producer=("enterprise_id",),
    spans_many=frozenset({"region"}),
)

BENEFIT_FUND = Rule(region=("region__code",), producer=("holder_id",))
PV_STATION = Rule(region=("region__code", "villages__village__code"), spans_many=frozenset({"region"}))
DISTRIBUTION = Rule(
    region=("region__code", "station__villages__village__code", "allocations__household__village__code"),
    producer=("producer_id",),
    spans_many=frozenset({"region"}),
)

PLAN = Rule(
    region=("region__code", "targets__region__code"),
    unit=("tasks__lead_id",),
    spans_many=frozenset({"region", "unit"}),
)

RULES: dict[str, Rule] = {
    "registry.household": HOUSEHOLD,
    "registry.member": HOUSEHOLD.via("household"),
    "registry.statusevent": HOUSEHOLD.via("household"),
    "registry.identificationstep": HOUSEHOLD.via("household"),
    "registry.evidencefile": HOUSEHOLD.via("household"),
    "registry.producer": PRODUCER,
    "registry.coopmember": PRODUCER.via("producer"),
    "registry.linkage": PRODUCER.via("producer"),
    "assist.assistingunit": UNIT,
    "assist.cadre": CADRE,
    "assist.unitvillagepairing": Rule(region=("village__code",), unit=("unit_id",)),
    "assist.cadrehouseholdpairing": Rule(region=("household__village__code",), unit=("cadre__unit_id",)),
    "accounts.organisation": Rule(region=("region__code",)),
    "core.auditentry": Rule(region=("region_code",)),
    "ledger.purchase": LEDGER,
    "ledger.purchaseline": LEDGER.via("purchase"),
    "ledger.beneficiary": LEDGER.via("purchase"),
    "market.outlet": Rule(region=("region__code",), unit=("operator_id",)),
    "market.activity": Rule(region=("region__code",), unit=("organiser_id",)),
    "market.product": PRODUCT,
    "market.productstep": PRODUCT.via("product"),
    "market.objection": PRODUCT.via("product"),
    "market.referenceprice": Rule(region=("region__code",)),
    "market.blacklisting": PRODUCER.via("producer"),
    "market.presalelist": PRESALE,
    "market.presaleitem": PRESALE.via("presale_list"),
    "market.order": ORDER,
    "market.orderline": ORDER.via("order"),
    "market.orderevent": ORDER.via("order"),
    "market.aftersale": ORDER.via("order"),
    "reporting.formvalue": Rule(region=("region__code",)),
    "reporting.validationresult": Rule(region=("region__code",)),
    "reporting.outlierflag": Rule(region=("region__code",)),
    # Supply entries and their warnings belong to the village; a producer sees its own entries. Demand entries
    # belong to the buyer's region; a unit sees its own.
    "supply.supplyentry": Rule(region=("village__code",), producer=("producer_id",)),
    "supply.warning": Rule(
        region=("village__code",), producer=("supply__producer_id", "presale_item__seller_producer_id")
    ),
    # A quick-response case belongs to its village: the offices over it (the one it is routed to among them)
    # and a producer selling in it see it.
    "supply.case": Rule(region=("village__code",), producer=("seller_producer_id",)),
    "supply.caseevent": Rule(region=("case__village__code",), producer=("case__seller_producer_id",)),
    "supply.demandentry": Rule(
        region=("region__code",), unit=("buyer_unit_id",), producer=("buyer_producer_id",)
    ),
    # Fake-figure findings and their investigation cases belong to the region the finding is about.
    "anomalies.finding": Rule(region=("region__code",)),
    "anomalies.investigation": Rule(region=("region__code",)),
    "anomalies.investigationevent": Rule(region=("case__region__code",)),
    "anomalies.casefile": Rule(region=("case__region__code",)),
    # A household's income card and its 三保障 checks belong to its village: offices over it and the village's staff
    # read them (capability `income.view`); units and producers never see a household's income.
    "income.incomeentry": Rule(region=("household__village__code",)),
    "income.securitycheck": Rule(region=("household__village__code",)),
    # Monitoring cases, their steps, files, measures and visits belong to the household's village. A declaration
    # belongs to its matched household's village, or (unmatched) to the county its ID number was issued in.
    "income.monitoringcase": Rule(region=("household__village__code",)),
    "income.casestep": Rule(region=("case__household__village__code",)),
    "income.stepfile": Rule(region=("step__case__household__village__code",)),
    "income.measure": Rule(region=("case__household__village__code",)),
    "income.followup": Rule(region=("measure__case__household__village__code",)),
    "income.declaration": Rule(region=("household__village__code", "county_code")),
    # Benefit distribution: a cooperative's book and capital follow the cooperative; a fund its region and holder; a PV
    # station its region and the villages sharing it; a distribution its region, its producer, its station's villages and
    # the villages of the households it pays.
    "benefits.bookentry": PRODUCER.via("producer"),
    "benefits.capitalaccount": PRODUCER.via("producer"),
    "benefits.assetfund": BENEFIT_FUND,
    "benefits.fundhousehold": BENEFIT_FUND.via("fund"),
    "benefits.pvstation": PV_STATION,
    "benefits.stationvillage": PV_STATION.via("station"),
    "benefits.pvmonth": PV_STATION.via("station"),
    "benefits.welfarepost": Rule(region=("village__code",)),
    "benefits.postmonth": Rule(region=("post__village__code",)),
    "benefits.distribution": DISTRIBUTION,
    "benefits.allocation": DISTRIBUTION.via("distribution"),
    "benefits.planuse": DISTRIBUTION.via("distribution"),
    "benefits.piecework": DISTRIBUTION.via("distribution"),
    "benefits.objection": DISTRIBUTION.via("distribution"),
    "benefits.event": DISTRIBUTION.via("distribution"),
    "approval.submission": Rule(region=("region__code",)),
    "approval.step": Rule(region=("submission__region__code",)),
    "approval.lock": Rule(region=("region_code",)),
    # A filing belongs to its unit's region; units whose canteen it covers (合并填报) see it too.
    "shares.sharefiling": Rule(
        region=("unit__region__code",), unit=("unit_id", "members__unit_id"), spans_many=frozenset({"unit"})
    ),
    "shares.sharefloor": Rule(region=("region__code",)),
    # Contracts: seen by offices over any party's region, by the buying unit, by the selling producer.
    "contracts.contract": CONTRACT,
    "contracts.contractparty": CONTRACT.via("contract"),
    "contracts.contractitem": CONTRACT.via("contract"),
    "contracts.deliveryschedule": CONTRACT.via("item__contract"),
    "contracts.contractdraw": CONTRACT.via("item__contract"),
    "contracts.preorder": PREORDER,
    "contracts.preorderdraw": PREORDER.via("preorder"),
    "contracts.buyback": BUYBACK,
    "contracts.buybackvillage": BUYBACK.via("buyback"),
    "contracts.buybackhousehold": BUYBACK.via("buyback"),
    "contracts.buybackdelivery": BUYBACK.via("buyback"),
    # Plans: a plan belongs to the region that issued it; a region a target was split to sees the plan, its tasks,
    # its assessment and its own targets; a lead unit sees the tasks it leads. Findings belong to the region checked.
    "plans.plan": PLAN,
    "plans.task": Rule(
        region=("plan__region__code", "plan__targets__region__code"),
        unit=("lead_id",),
        spans_many=frozenset({"region"}),
    ),
    "plans.taskreport": Rule(
        region=("task__plan__region__code", "task__plan__targets__region__code"),
        unit=("task__lead_id",),
        spans_many=frozenset({"region"}),
    ),
    "plans.target": Rule(region=("region__code",)),
    "plans.targetreport": Rule(region=("target__region__code",)),
    "plans.finding": Rule(region=("region__code",)),
    "plans.reminder": Rule(region=("plan__region__code",)),
    "plans.scheme": PLAN.via("plan"),
    "plans.schemeitem": PLAN.via("scheme__plan"),
    "plans.networksite": Rule(region=("region__code",)),
    "plans.trusteeshipcontract": Rule(region=("region__code",)),
}

# Reference data every signed-in user may read in full (names of places are public).
OPEN_MODELS = {"regions.region", "income.monitoringline"}  # monitoring lines are published policy


def _condition(scope: Scope, rule: Rule) -> Q | None:
    if scope.kind == "region":
        return _any_of(rule.region, "__startswith", scope.region_prefix)
    if scope.kind == "unit":
        return _any_of(rule.unit, "", scope.unit_id)
    if scope.kind == "producer":
        return _any_of(rule.producer, "", scope.producer_id)
    if scope.kind == "person":
        return _any_of(rule.person, "", scope.user_id)
    return None


def restrict(user: Any, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of `queryset` this user may see."""
    scope = scope_for(user)
    label = queryset.model._meta.label_lower
    if scope.everything or (label in OPEN_MODELS and scope.kind != "none"):
        return queryset
    rule = RULES.get(label)
    condition = _condition(scope, rule) if rule else None
    if condition is None:
        return queryset.none()
    if rule is not None and scope.kind in rule.spans_many:
        visible = queryset.model._default_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=visible)
    return queryset.filter(condition)


def get_visible(user: Any, queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One row by lookup, or 'not found' — never revealing whether an out-of-scope row exists."""
    row = restrict(user, queryset).filter(**lookup).first()
    if row is None:
        raise NotFoundError()
    return row


def _not_named(pk: object, field: str, label: str) -> DomainError:
    return DomainError("invalid_input", detail=f"{label}（编号 {pk}）不存在或无权访问", field=field)


def named_row(user: Any, queryset: models.QuerySet[M], pk: Any, *, field: str, label: str) -> M | None:
    """A record a request body or form names by id: None when none is named.

    A missing id and one outside the user's scope get the same 400 (`invalid_input`, "…（编号 N）不存在或无权访问")
    on that field, so the answer never tells which; a record named in the URL path is a 404 (`get_visible`).
    """
    return named_in(restrict(user, queryset), pk, field=field, label=label)


def named_required(user: Any, queryset: models.QuerySet[M], pk: Any, *, field: str, label: str) -> M:
    """`named_row` for a field that must name a record."""
    row = named_row(user, queryset, pk, field=field, label=label)
    if row is None:
        raise DomainError("invalid_input", detail=f"须指定{label}", field=field)
    return row


def named_in(rows: models.QuerySet[M], pk: Any, *, field: str, label: str) -> M | None:
    """`named_row` over rows a selector has already chosen for the user (e.g. every unit that may be named as a
    buyer, which reaches beyond the user's own scope)."""
    if pk is None or pk == "":
        return None
    if not str(pk).isdigit():
        raise _not_named(pk, field, label)
    row = rows.filter(pk=int(pk)).first()
    if row is None:
        raise _not_named(pk, field, label)
    return row


def named_rows(user: Any, queryset: models.QuerySet[M], ids: Any, *, field: str, label: str) -> list[M]:
    """Every record named by a list of ids, in the order named (repeats once), or the refusal of the first one
    missing or out of scope — never a silently shorter list."""
    wanted = list(dict.fromkeys(str(pk).strip() for pk in ids if str(pk).strip()))
    bad = next((pk for pk in wanted if not pk.isdigit()), None)
    if bad is not None:
        raise _not_named(bad, field, label)
    found = {row.pk: row for row in restrict(user, queryset).filter(pk__in=[int(pk) for pk in wanted])}
    missing = next((pk for pk in wanted if int(pk) not in found), None)
    if missing is not None:
        raise _not_named(missing, field, label)
    return [found[int(pk)] for pk in wanted]


# What each role may do besides reading its scope.
# Offices review (township or sector) and decide (county) certifications, keep reference prices, and may sell
# on a village's behalf; which of review/decide a user may do also depends on the level of its region.
MARKET_OFFICE = ("market.review", "market.decide", "market.prices", "market.sell")
# Offices and village staff enter statistical form values for their region and the regions below it.
REPORTING = ("reporting.enter",)
# Supervising offices review reserved-share filings and set the floors; unit staff file their own unit's.
SHARES_OFFICE = ("shares.review", "shares.floor")

CAPABILITIES: dict[str, set[str]] = {
    Role.ADMIN: {
        "registry.change",
        "assist.change",
        "regions.change",
        "import",
        "export",
        "audit.view",
        "users.manage",
        "ledger.record",
        "ledger.reverse",
        "market.change",
        *MARKET_OFFICE,
        "market.apply",
        "market.buy",
        *SHARES_OFFICE,
        "shares.file",
        *REPORTING,
        "reporting.configure",
    },
    Role.OFFICE: {
        "registry.change",
        "assist.change",
        "regions.change",
        "import",
        "export",
        "audit.view",
        "ledger.record",
        "ledger.reverse",
        "market.change",
        *MARKET_OFFICE,
        *SHARES_OFFICE,
        *REPORTING,
    },
    Role.VILLAGE: {"registry.change", "export", "ledger.record", "market.sell", *REPORTING},
    Role.UNIT: {"assist.change_own", "export", "ledger.record", "market.buy", "shares.file"},
    Role.PRODUCER: {"export", "ledger.record", "market.sell", "market.apply"},
    Role.BUYER: {"market.buy"},
    Role.AUDITOR: {"audit.view", "export"},
}
# Approval: a region's staff submit its month; the office of the parent region approves, returns or unlocks.
CAPABILITIES[Role.ADMIN] |= {"approval.submit", "approval.decide"}
CAPABILITIES[Role.OFFICE] |= {"approval.submit", "approval.decide"}
CAPABILITIES[Role.VILLAGE] |= {"approval.submit"}
# Contracts, pre-orders and buy-back: offices and units sign them; parties count deliveries against them.
for _role in (Role.ADMIN, Role.OFFICE, Role.UNIT):
    CAPABILITIES[_role] |= {"contracts.manage", "contracts.draw"}
CAPABILITIES[Role.VILLAGE] |= {"contracts.draw"}
CAPABILITIES[Role.PRODUCER] |= {"contracts.draw"}
# The supply book: villages, offices over them and producers enter what they expect to sell.
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.PRODUCER):
    CAPABILITIES[_role] |= {"supply.enter"}
# Quick response to unsold produce: the office a case is routed to (or one above it) acts on it.
for _role in (Role.ADMIN, Role.OFFICE):
    CAPABILITIES[_role] |= {"supply.respond"}

# Fake-figure detection: offices and auditors read the findings and open cases; offices above a case's region assign
# and decide it; the region's own staff (office or village) explain it.
for _role in (Role.ADMIN, Role.OFFICE, Role.AUDITOR):
    CAPABILITIES[_role] |= {"anomalies.view", "anomalies.open"}
for _role in (Role.ADMIN, Role.OFFICE):
    CAPABILITIES[_role] |= {"anomalies.decide"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE):
    CAPABILITIES[_role] |= {"anomalies.explain"}


# The income card and return-to-poverty monitoring: offices, village staff and auditors read cards and run the scan;
# offices and village staff (who do the 入户调查) record income entries, corrections and 三保障 checks.
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.AUDITOR):
    CAPABILITIES[_role] |= {"income.view"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE):
    CAPABILITIES[_role] |= {"income.record"}
# 防止返贫监测: offices, village staff and auditors read cases; offices and village staff flag households, record
# measures and visits, and do the procedure's steps — which step needs which role and level is yigou.income.procedure.
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.AUDITOR):
    CAPABILITIES[_role] |= {"monitoring.view"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE):
    CAPABILITIES[_role] |= {"monitoring.flag", "monitoring.review", "monitoring.measure"}

# Plans and assessment: offices draw up plans, split targets, supervise and assess; offices, village staff and lead
# units report progress; the co-op network registers are kept by offices.
for _role in (Role.ADMIN, Role.OFFICE):
    CAPABILITIES[_role] |= {"plans.manage", "plans.supervise", "plans.network"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.UNIT):
    CAPABILITIES[_role] |= {"plans.report"}

# Benefit distribution: offices, village staff and cooperatives/enterprises keep the books and draw up plans; the
# holder approves its own plan, the township office reviews, publishes and pays (payments write income entries).
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.AUDITOR, Role.PRODUCER):
    CAPABILITIES[_role] |= {"benefits.view"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE, Role.PRODUCER):
    CAPABILITIES[_role] |= {"benefits.manage", "benefits.approve"}
for _role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE):
    CAPABILITIES[_role] |= {"benefits.object"}
for _role in (Role.ADMIN, Role.OFFICE):
    CAPABILITIES[_role] |= {"benefits.review", "benefits.pay"}


def can(user: Any, capability: str) -> bool:
    if scope_for(user) is NOTHING or scope_for(user).kind == "none":
        return False
    if capability == "pii.reveal":
        return bool(user.can_reveal_pii) and user.role in (Role.ADMIN, Role.OFFICE, Role.VILLAGE)
    role = Role.ADMIN if user.is_superuser else user.role
    return capability in CAPABILITIES.get(role, set())


def works_over_regions(user: Any) -> bool:
    """Offices, village staff, auditors and administrators: the users who supervise regions (units, producers
    and individual buyers do not)."""
    return scope_for(user).kind in ("all", "region")


def ensure_works_over_regions(user: Any, message: str | None = None) -> None:
    if not works_over_regions(user):
        raise PermissionDeniedError("forbidden", message)


def ensure_can(user: Any, capability: str, obj: models.Model | None = None) -> None:
    """Refuse unless the user holds the capability and, when given, the object lies in the user's scope."""
    if not can(user, capability):
        raise PermissionDeniedError()
    if obj is not None and obj.pk is not None:
        ensure_visible(user, obj)


def ensure_visible(user: Any, obj: models.Model) -> None:
    """A service's backstop: a record outside the user's scope is 'not found', exactly like a missing one."""
    manager = type(obj)._default_manager
    if not restrict(user, manager.filter(pk=obj.pk)).exists():
        raise NotFoundError()


def ensure_region_in_scope(user: Any, region_code: str) -> None:
    """For creating records: the target region must lie inside the user's own region."""
    scope = scope_for(user)
    if scope.everything:
        return
    if scope.kind != "region" or not region_code.startswith(scope.region_prefix):
        raise PermissionDeniedError("out_of_scope")

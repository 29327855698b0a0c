"""Registry benchmark: scoped household search and household registration, each against raw SQL.

Prints throughput and latency percentiles and the ratio to the raw database doing the same work in the
same run. Data: one synthetic county per 10,000 households, villages of ~100 households, generated here.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction

from bench.stats import report
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import Organisation, User
from yigou.core.crypto import encrypt, lookup_hash
from yigou.core.pinyin import initials
from yigou.demo.identity import fake_id_number
from yigou.regions.models import Region
from yigou.registry import selectors, services
from yigou.registry.models import Household, Member

SCALE = os.environ.get("BENCH_SCALE", "full")
HOUSEHOLDS = 20_000 if SCALE == "small" else 300_000
SEARCHES = 200 if SCALE == "small" else 500
REGISTRATIONS = 200 if SCALE == "small" else 1_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "德明秀英建国永福志强丽华玉兰海军春梅小红文杰桂芳成刚"


def build_regions(counties: int) -> list[str]:
    Region.objects.bulk_create([Region(code="510000000000", name="四川省", level=1)])
    Region.objects.bulk_create(
        [Region(code="510900000000", name="遂宁市", level=2, parent_id="510000000000")]
    )
    villages, rows = [], []
    for c in range(counties):
        county = f"5109{c + 10:02d}"
        rows.append(Region(code=f"{county}000000", name=f"县{c}", level=3, parent_id="510900000000"))
        for t in range(1, 11):
            rows.append(
                Region(code=f"{county}{t:03d}000", name=f"镇{t}", level=4, parent_id=f"{county}000000")
            )
            for v in range(1, 11):
                code = f"{county}{t:03d}{v:03d}"
                rows.append(Region(code=code, name=f"村{v}", level=5, parent_id=f"{county}{t:03d}000"))
                villages.append(code)
    Region.objects.bulk_create(rows, batch_size=2000)
    return villages


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def build_households(villages: list[str], rng: random.Random) -> None:
    batch_h, batch_m = [], []
    for i in range(HOUSEHOLDS):
        village = villages[i % len(villages)]
        name = person(rng)
        number = f"{village}{i // len(villages) + 1:04d}"
        batch_h.append(
            Household(
                number=number,
                village_id=village,
                county_code=village[:6] + "000000",
                head_name=name,
                head_initials=initials(name),
                size=1,
            )
        )
        if len(batch_h) == 5000 or i == HOUSEHOLDS - 1:
            saved = Household.objects.bulk_create(batch_h)
            for hh in saved:
                # Birth day from pk // 500 and order from pk % 500: unique for every household.
                born = dt.date(1950, 1, 1) + dt.timedelta(days=hh.pk // 500)
                idn = fake_id_number(hh.village_id[:6], born, hh.pk % 500, male=True)
                batch_m.append(
                    Member(
                        household=hh,
                        name=hh.head_name,
                        name_initials=hh.head_initials,
                        relation="head",
                        sex="male",
                        birth_date="1970-01-01",
                        id_number=idn,
                        id_hash=lookup_hash(idn),
                        id_tail=idn[-4:],
                    )
                )
            Member.objects.bulk_create(batch_m, batch_size=5000)
            batch_h, batch_m = [], []


def county_user(county: str) -> User:
    org = Organisation.objects.create(name="县扶贫办", kind=OrgKind.OFFICE, region_id=f"{county}000000")
    return User.objects.create(username=f"bench{county}", role=Role.OFFICE, organisation=org)


RAW_SEARCH = """
SELECT h.id, h.number, h.head_name, h.status, h.size, v.name FROM registry_household h
JOIN regions_region v ON v.code = h.village_id
WHERE h.village_id LIKE %s AND (h.head_initials LIKE %s OR h.id IN
      (SELECT household_id FROM registry_member WHERE name_initials LIKE %s))
ORDER BY h.number, h.id LIMIT 50
"""


def bench_search(user: User, county: str, rng: random.Random) -> None:
    terms = [initials(person(rng))[:2] for _ in range(SEARCHES)]
    orm, raw = [], []
    for term in terms:
        start = time.perf_counter()
        page = list(selectors.households(user, selectors.HouseholdFilter(q=term))[:50])
        _ = [(h.number, h.village.name) for h in page]
        orm.append(time.perf_counter() - start)
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RAW_SEARCH, [f"{county}%", f"{term}%", f"{term}%"])
            cursor.fetchall()
        raw.append(time.perf_counter() - start)
    report("household search (scoped, first page of 50)", orm, raw)


def bench_register(user: User, villages: list[str]) -> None:
    orm, raw = [], []
    rng = random.Random(7)
    for i in range(REGISTRATIONS):
        village = Region.objects.get(code=villages[i % 100])
        idn = fake_id_number(
            village.code[:6], dt.date(2005, 1, 1) + dt.timedelta(days=i), i % 500, male=False
        )
        start = time.perf_counter()
        services.household_register(
            actor=user, village=village, members=[services.MemberInput(person(rng), idn)], number=f"B{i:07d}"
        )
        orm.append(time.perf_counter() - start)
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO registry_household (number, village_id, county_code, head_name, head_initials, address,"
                " phone, size, status, monitor_type, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, '', '', 1, 'non_poor', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                [f"R{i:07d}", village.code, village.county_code, "某", "m"],
            )
            cursor.execute(
                "INSERT INTO core_auditentry (at, actor_name, action, target_type, target_id, target_label,"
                " region_code, changes, note) VALUES (CURRENT_TIMESTAMP, 'b', 'create', 'h', '1', '', '', '{}', '')"
            )
            encrypt(idn)
        raw.append(time.perf_counter() - start)
    report("household registration (service: validate, encrypt, audit)", orm, raw)


def main() -> None:
    rng = random.Random(2018)
    counties = max(1, HOUSEHOLDS // 10_000)
    print(
        f"Registry benchmark — scale {SCALE}: {HOUSEHOLDS:,} households in {counties} counties, "
        f"database {connection.vendor}"
    )
    started = time.perf_counter()
    villages = build_regions(counties)
    build_households(villages, rng)
    print(f"  generated in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    county = villages[0][:6]
    user = county_user(county)
    bench_search(user, county, rng)
    bench_register(user, villages)


if __name__ == "__main__":
    main()

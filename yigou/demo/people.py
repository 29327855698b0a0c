"""Families: who lives in a household, with ID numbers whose birth date and sex agree with the person."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from yigou.registry.enums import Health, Labour, Relation
from yigou.registry.services import MemberInput

from .identity import fake_id_number
from .names import person_name, pick_surname

AS_OF = 2018  # ages are those of the 2018 bulletin the demo imitates
SIZE_WEIGHTS = {1: 12, 2: 22, 3: 24, 4: 22, 5: 13, 6: 7}
# The zone was carved out of 船山区: its residents' ID numbers carry the district's code.
ID_REGION = {"510971": "510903"}


class IdAllocator:
    """Hands out unique ID numbers: per region, birth day and sex, the sequence digits count up."""

    def __init__(self) -> None:
        self._next: dict[tuple[str, dt.date, bool], int] = {}

    def issue(self, county6: str, born: dt.date, *, male: bool) -> str:
        region6 = ID_REGION.get(county6, county6)
        key = (region6, born, male)
        sequence = self._next.get(key, 0)
        if sequence >= 500:
            raise ValueError("同一天出生的演示人员过多")
        self._next[key] = sequence + 1
        return fake_id_number(region6, born, sequence, male=male)


@dataclass
class Person:
    relation: str
    age: int
    male: bool
    family_name: bool = False  # children and grandchildren take the head's surname


def _birth_date(rng: random.Random, age: int) -> dt.date:
    return dt.date(AS_OF - age, 1, 1) - dt.timedelta(days=rng.randrange(365))


def _labour(rng: random.Random, age: int) -> str:
    if age < 16:
        return Labour.NONE
    if age < 60:
        return rng.choices([Labour.SKILLED, Labour.ORDINARY, Labour.WEAK, Labour.LOST], [15, 62, 17, 6])[0]
    if age < 70:
        return rng.choices([Labour.ORDINARY, Labour.WEAK, Labour.LOST], [30, 50, 20])[0]
    return rng.choices([Labour.WEAK, Labour.LOST, Labour.NONE], [30, 40, 30])[0]


def _health(rng: random.Random, age: int, poor: bool) -> str:
    # Illness is the most common cause of poverty in the register (因病致贫), so poor families are sicker.
    sick = (0.06 + age / 400) * (1.8 if poor else 1.0)
    roll = rng.random()
    if roll < sick:
        return Health.CHRONIC
    if roll < sick + (0.05 if poor else 0.02):
        return Health.SERIOUS
    if roll < sick + (0.10 if poor else 0.04):
        return Health.DISABLED
    return Health.HEALTHY


def _family(rng: random.Random, size: int) -> list[Person]:
    head_age = rng.randint(28, 82)
    head = Person(Relation.HEAD, head_age, rng.random() < 0.82)
    family = [head]
    if size > 1 and head_age < 80 and rng.random() < 0.85:
        family.append(Person(Relation.SPOUSE, max(20, head_age + rng.randint(-5, 3)), not head.male))
    if len(family) < size and head_age < 56 and rng.random() < 0.4:
        family.append(Person(Relation.PARENT, min(95, head_age + rng.randint(22, 32)), rng.random() < 0.4))
    child_age = head_age - rng.randint(22, 32)
    children = len(family) + rng.randint(1, 3)
    while len(family) < min(size, children) and child_age >= 1:
        family.append(Person(Relation.CHILD, child_age, rng.random() < 0.52, family_name=True))
        child_age -= rng.randint(2, 6)
    eldest = next((p for p in family if p.relation == Relation.CHILD and p.age >= 24), None)
    if eldest is not None and len(family) < size:
        family.append(Person(Relation.CHILD_IN_LAW, eldest.age + rng.randint(-2, 3), not eldest.male))
        while len(family) < size:
            family.append(
                Person(
                    Relation.GRANDCHILD,
                    rng.randint(1, max(1, eldest.age - 22)),
                    rng.random() < 0.5,
                    family_name=True,
                )
            )
    return family


def plan_members(rng: random.Random, ids: IdAllocator, county6: str, *, poor: bool) -> list[MemberInput]:
    size = rng.choices(list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values()))[0]
    family = _family(rng, size)
    family_name = pick_surname(rng)
    members = []
    for person in family:
        surname = family_name if person.relation == Relation.HEAD or person.family_name else None
        born = _birth_date(rng, person.age)
        members.append(
            MemberInput(
                name=person_name(rng, male=person.male, surname=surname),
                id_number=ids.issue(county6, born, male=person.male),
                relation=person.relation,
                labour=_labour(rng, person.age),
                health=_health(rng, person.age, poor),
            )
        )
    return members

"""Declarative partitioning of the ledger by year on PostgreSQL (migration 0005 applies it; SQLite keeps plain tables).

Purchases are partitioned by their date, the month rollups by year, the day rollups and presence rows by day: one
partition a year from 2013 (精准扶贫 began; nothing earlier is accepted) to LAST_YEAR, and a default partition for
anything later, so a late year never fails an insert. The statistics and the scans name years or dates, so
PostgreSQL reads only the years asked for, and a closed year can be detached, archived or moved as a whole.

What partitioning costs, and how the ledger keeps its guarantees:
- A primary key or unique index of a partitioned table must contain the partition column, so the primary keys
  become (id, <partition column>) and ids stay unique through their identity sequence.
- The two ledger-wide unique keys of a purchase — its 外部编号 and the purchase a reversal reverses — cannot be a
  unique index any more. A statement trigger writes them into ledger_purchasekey (one primary key, 'x:' and 'r:'
  prefixes), so a second purchase with the same 外部编号 or a second reversal fails with the same unique violation as
  before, for single inserts and set-based imports alike.
- A foreign key cannot point at a partitioned table's id alone, so purchase lines, beneficiaries and reversals lose
  their foreign keys to purchases; a statement trigger refuses rows whose purchase does not exist, and purchases
  refuse DELETE (the ledger is append-only; corrections are reversals), so no line can be orphaned.
- Lines and beneficiaries carry their purchase's date (`purchase_date`) and are partitioned by it the same way
  (migration 0010). Their insert trigger compares a row's date with its purchase's, read through the primary key,
  so it refuses a row dated otherwise than its purchase as well as one without a purchase. A purchase's id and date,
  and a line's or beneficiary's purchase and date, cannot be updated: each would move rows out of their year or away
  from their purchase.
- Why a trigger and not a foreign key on (purchase_id, purchase_date): a foreign key takes a KEY SHARE lock on the
  purchase for every line and beneficiary inserted, which writes every new purchase's tuple a second time (and its
  WAL) during an import; purchases are never deleted and their keys never change, which is all the lock protects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIRST_YEAR, LAST_YEAR = 2013, 2030


@dataclass(frozen=True)
class Partitioning:
    table: str
    column: str  # the partition column
    by_year: bool = False  # the column holds a year number, not a date


TABLES = (
    Partitioning("ledger_purchase", "date"),
    Partitioning("ledger_monthrollup", "year", by_year=True),
    Partitioning("ledger_dayrollup", "day"),
    Partitioning("ledger_presence", "day"),
)
# Unique keys of purchases kept in ledger_purchasekey instead of a unique index; dropped from the partitioned table.
PURCHASE_KEYS = {"external_id": "x:", "reverses_id": "r:"}
CHILDREN = ("ledger_purchaseline", "ledger_beneficiary")  # rows that name a purchase by purchase_id
# Migration 0010: the children partitioned by their purchase's date, as the purchases are.
CHILD_TABLES = tuple(Partitioning(child, "purchase_date") for child in CHILDREN)

# The planner does not know how few rows a transition table holds and would hash a scan of the whole ledger (60 ms
# for one line on 10 M purchases); the checks probe the primary-key indexes instead, for one row or an import.
PROBE = "SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off"
GUARDS = [
    f"""CREATE OR REPLACE FUNCTION ledger_purchase_keys() RETURNS trigger LANGUAGE plpgsql {PROBE} AS $$
       BEGIN
         INSERT INTO ledger_purchasekey (key)
           SELECT 'x:' || external_id FROM new_rows WHERE external_id IS NOT NULL
           UNION ALL SELECT 'r:' || reverses_id FROM new_rows WHERE reverses_id IS NOT NULL;
         IF EXISTS (SELECT 1 FROM new_rows n WHERE n.reverses_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM ledger_purchase p WHERE p.id = n.reverses_id)) THEN
           RAISE foreign_key_violation USING MESSAGE = 'reversal of a purchase that does not exist';
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER ledger_purchase_keys AFTER INSERT ON ledger_purchase
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_purchase_keys()""",
    """CREATE OR REPLACE FUNCTION ledger_purchase_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE restrict_violation USING MESSAGE = 'the purchase ledger is append-only: ' || TG_OP || ' refused';
       END $$""",
    """CREATE TRIGGER ledger_purchase_no_delete BEFORE DELETE ON ledger_purchase
       FOR EACH ROW EXECUTE FUNCTION ledger_purchase_refuse()""",
    f"""CREATE OR REPLACE FUNCTION ledger_purchase_exists() RETURNS trigger LANGUAGE plpgsql {PROBE} AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM new_rows n
                    WHERE NOT EXISTS (SELECT 1 FROM ledger_purchase p WHERE p.id = n.purchase_id)) THEN
           RAISE foreign_key_violation USING MESSAGE = TG_TABLE_NAME || ' row for a purchase that does not exist';
         END IF;
         RETURN NULL;
       END $$""",
    *(
        f"""CREATE TRIGGER {child}_purchase AFTER INSERT ON {child}
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_purchase_exists()"""
        for child in CHILDREN
    ),
]


# Migration 0010 replaces the check of GUARDS (as 0006 and 0007 created it): a row's purchase_date must be its
# purchase's date, which also refuses a row whose purchase does not exist. The purchase is read by id alone, so that
# the only index that can serve it in every partition is the primary key (id, date): the plan of a trigger's query
# is kept for the session, and a condition on date let the planner pick a (region, date) index for a partition that
# was empty when planned, then scan that whole index for every row once the partition had filled.
CHILD_MISMATCH = """SELECT 1 FROM new_rows n WHERE n.purchase_date IS DISTINCT FROM (
                  SELECT p.date FROM ledger_purchase p WHERE p.id = n.purchase_id)"""
CHILD_CHECK = f"""CREATE OR REPLACE FUNCTION ledger_purchase_exists() RETURNS trigger LANGUAGE plpgsql
   {PROBE} SET jit = off AS $$
   BEGIN
     IF EXISTS ({CHILD_MISMATCH}) THEN
       RAISE foreign_key_violation
         USING MESSAGE = TG_TABLE_NAME || ' row for a purchase that does not exist on its purchase_date';
     END IF;
     RETURN NULL;
   END $$"""
# Keys that place a row in its year and under its purchase never change (the row would leave its partition).
FIXED_KEYS = {"ledger_purchase": ("id", "date"), **dict.fromkeys(CHILDREN, ("purchase_id", "purchase_date"))}


def _child_guards() -> list[str]:
    statements = [CHILD_CHECK]
    for child in CHILDREN:
        statements.append(
            f"""CREATE TRIGGER {child}_purchase AFTER INSERT ON {child}
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_purchase_exists()"""
        )
    for table, (key, day) in FIXED_KEYS.items():
        statements.append(
            f"""CREATE TRIGGER {table}_fixed_keys BEFORE UPDATE OF {key}, {day} ON {table} FOR EACH ROW
                WHEN (OLD.{key} IS DISTINCT FROM NEW.{key} OR OLD.{day} IS DISTINCT FROM NEW.{day})
                EXECUTE FUNCTION ledger_purchase_refuse()"""
        )
    return statements


def partition_children(cursor: Any) -> None:
    """Migration 0010: lines and beneficiaries partitioned by their purchase's date, which the beneficiaries take
    from their purchases on the way (the column was added with a placeholder), then the guards above."""
    for spec in CHILD_TABLES:
        dated = {"purchase_date": "p.date"} if spec.table == "ledger_beneficiary" else {}
        before = _count(cursor, spec.table)
        _partition(cursor, spec, _rows_with(cursor, spec.table, dated))
        # The join to purchases must keep every row (the guards ensure it); the migration rolls back if not.
        if _count(cursor, spec.table) != before:
            raise RuntimeError(f"{spec.table}: rows without a purchase, partitioning stopped")
        cursor.execute(f"ANALYZE {spec.table}")  # every row was rewritten
    for statement in _child_guards():
        cursor.execute(statement)


def _count(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {table}")
    return int(cursor.fetchone()[0])


def _rows_with(cursor: Any, table: str, replaced: dict[str, str]) -> str:
    """SELECT of a table's rows in column order, some columns replaced by an expression over their purchase p."""
    if not replaced:
        return f"SELECT * FROM {table}"
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    columns = ", ".join(replaced.get(name, f"t.{name}") for (name,) in cursor.fetchall())
    return f"SELECT {columns} FROM {table} t JOIN ledger_purchase p ON p.id = t.purchase_id"


# The unique index of reverses_id went to ledger_purchasekey; a reversal is still found from its purchase (the
# purchase's answer says whether it was reversed), through this partial index of the few reversals.
REVERSAL_INDEX = "CREATE INDEX IF NOT EXISTS purchase_reversal ON ledger_purchase (reverses_id) WHERE reverses_id IS NOT NULL"


def probe_by_index(cursor: Any) -> None:
    """Migration 0007: the two check functions again, with the settings that make them probe indexes, and the
    index that finds a purchase's reversal."""
    for statement in (GUARDS[0], GUARDS[4], REVERSAL_INDEX):
        cursor.execute(statement)


def partition_ledger(cursor: Any) -> None:
    """Turn the four tables into partitioned tables, keeping their rows, ids, indexes and foreign keys."""
    for spec in TABLES:
        _partition(cursor, spec)
    cursor.execute(
        "INSERT INTO ledger_purchasekey (key) "
        "SELECT 'x:' || external_id FROM ledger_purchase WHERE external_id IS NOT NULL "
        "UNION ALL SELECT 'r:' || reverses_id FROM ledger_purchase WHERE reverses_id IS NOT NULL"
    )
    for statement in GUARDS:
        cursor.execute(statement)


def _partition(cursor: Any, spec: Partitioning, rows: str | None = None) -> None:
    table, new = spec.table, f"{spec.table}_partitioned"
    indexes, constraints = _plain_indexes(cursor, table), _constraints(cursor, table)
    cursor.execute(
        f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS) "
        f"PARTITION BY RANGE ({spec.column})"
    )
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        low, high = (year, year + 1) if spec.by_year else (f"'{year}-01-01'", f"'{year + 1}-01-01'")
        cursor.execute(f"CREATE TABLE {table}_{year} PARTITION OF {new} FOR VALUES FROM ({low}) TO ({high})")
    cursor.execute(f"CREATE TABLE {table}_default PARTITION OF {new} DEFAULT")
    cursor.execute(f"INSERT INTO {new} OVERRIDING SYSTEM VALUE {rows or f'SELECT * FROM {table}'}")
    cursor.execute(f"DROP TABLE {table} CASCADE")  # CASCADE: the foreign keys of lines and beneficiaries
    cursor.execute(f"ALTER TABLE {new} RENAME TO {table}")
    cursor.execute(f"ALTER SEQUENCE {new}_id_seq RENAME TO {table}_id_seq")
    cursor.execute(f"SELECT setval('{table}_id_seq', coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
    cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY (id, {spec.column})")
    for definition in indexes:
        cursor.execute(definition)
    for name, kind, definition in constraints:
        if kind == "u" and table == "ledger_purchase":
            continue  # 外部编号 and reverses: kept unique through ledger_purchasekey
        if kind == "f" and "REFERENCES ledger_purchase(" in definition:
            continue  # a reversal's purchase: checked by ledger_purchase_keys()
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _plain_indexes(cursor: Any, table: str) -> list[str]:
    """CREATE INDEX statements of the indexes that back no constraint."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY i.indexrelid",
        [table],
    )
    return [definition for (definition,) in cursor.fetchall()]


def _constraints(cursor: Any, table: str) -> list[tuple[str, str, str]]:
    """Unique keys and foreign keys as (name, kind, definition); refuses a unique key it does not know."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname",
        [table],
    )
    constraints = list(cursor.fetchall())
    for name, kind, definition in constraints:
        column = definition.partition("(")[2].partition(")")[0]
        if kind == "u" and table == "ledger_purchase" and column not in PURCHASE_KEYS:
            raise RuntimeError(f"{name}: a unique key of purchases that ledger_purchasekey does not keep")
    return constraints

"""The SQL of the PostgreSQL import fast path: staging, checks and resolution (see staging.py for the flow).

Every statement works on session-local temporary tables named imp_*; %(name)s placeholders are bound by the caller.
Messages are the ones parse.py reports, built here from the same words.
"""

from __future__ import annotations

# The columns of the staging table, in COPY order, with the file header each one comes from.
STAGE_COLUMNS: list[tuple[str, str]] = [
    ("ext", "外部编号"),
    ("dat", "日期"),
    ("bkind", "购买方类型"),
    ("buyer", "购买方"),
    ("chan", "渠道"),
    ("outlet", "网点"),
    ("seller", "销售方"),
    ("product", "产品"),
    ("category", "品类"),
    ("qty", "数量"),
    ("unit", "单位"),
    ("price", "单价"),
    ("amount", "金额"),
    ("source", "产品来源"),
    ("rule", "分配方式"),
    ("entered", "受益农户"),
]
TEMP_TABLES = (
    "imp_stage",
    "imp_choice",
    "imp_date",
    "imp_unit",
    "imp_buyer",
    "imp_person",
    "imp_outlet",
    "imp_producer",
    "imp_draft",
    "imp_part",
    "imp_linked",
    "imp_member",
    "imp_share",
    "imp_benef",
    "imp_row",
    "imp_error",
    "imp_purchase",
    "imp_slot",
    "imp_before",
    "imp_am",
    "imp_fine",
)

# A plain decimal: anything else (exponents, NaN, very long numbers) goes to the Python path.
NUMBER = r"^[+-]?([0-9]{1,9}(\.[0-9]{0,6})?|\.[0-9]{1,6})$"

FUNCTIONS = [
    # Half-even rounding to the fen, as Decimal.quantize does (x is never negative here).
    """CREATE OR REPLACE FUNCTION pg_temp.imp_cent(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
        SELECT round(CASE WHEN x * 100 - floor(x * 100) = 0.5 THEN (floor(x * 100) + mod(floor(x * 100), 2)) / 100
                          ELSE x END, 2) $$""",
    # The numeric value of a cell with thousands separators removed, or NULL when it is empty.
    """CREATE OR REPLACE FUNCTION pg_temp.imp_num(t text) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN replace(t, ',', '') = '' THEN NULL ELSE replace(t, ',', '')::numeric END $$""",
]

CREATE_STAGE = "CREATE TEMP TABLE imp_stage (line integer, {columns}) ON COMMIT DROP"
CREATE_CHOICE = "CREATE TEMP TABLE imp_choice (col text, label text, value text) ON COMMIT DROP"

# The producers the file names as sellers, as references.py loads them (restricted to the importer's scope).
SELLER_CODES = "SELECT DISTINCT upper(seller) FROM imp_stage WHERE length(seller) = 18"
CREATE_PRODUCER = """
CREATE TEMP TABLE imp_producer (id integer, uscc text PRIMARY KEY, kind text, name text, region_id text,
    region_level integer, county_code text, household_id integer) ON COMMIT DROP
"""

# One query decides whether the SQL path handles the file: only plain numbers.
FALLBACK = f"""
SELECT EXISTS (SELECT 1 FROM imp_stage s
               WHERE (replace(s.qty, ',', '') <> '' AND replace(s.qty, ',', '') !~ '{NUMBER}')
                  OR (replace(s.price, ',', '') <> '' AND replace(s.price, ',', '') !~ '{NUMBER}')
                  OR (replace(s.amount, ',', '') <> '' AND replace(s.amount, ',', '') !~ '{NUMBER}'))
"""

# Dates are parsed once per distinct cell: the five formats of core.tabular.parse_date; NULL when invalid.
DATES = r"""
CREATE TEMP TABLE imp_date ON COMMIT DROP AS
SELECT t AS dat, CASE
    WHEN p IS NULL OR p[1]::int < 1 OR p[2]::int NOT BETWEEN 1 AND 12 OR p[3]::int < 1 THEN NULL
    WHEN p[3]::int > extract(day FROM make_date(p[1]::int, p[2]::int, 1) + interval '1 month - 1 day') THEN NULL
    ELSE make_date(p[1]::int, p[2]::int, p[3]::int) END AS day
FROM (SELECT t, coalesce(
        regexp_match(v, '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$'),
        regexp_match(v, '^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})$'),
        regexp_match(v, '^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})$'),
        regexp_match(v, '^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日$'),
        regexp_match(v, '^([0-9]{4})([0-9]{2})([0-9]{2})$')) AS p
      FROM (SELECT DISTINCT dat AS t, split_part(dat, ' ', 1) AS v FROM imp_stage) d) m
"""

# The units a file can name, loaded as references.py loads them: by the text before any "/", as name or code.
UNITS = """
CREATE TEMP TABLE imp_unit ON COMMIT DROP AS
WITH names AS (SELECT DISTINCT split_part(buyer, '/', 1) AS name FROM imp_stage)
SELECT u.id, u.name, u.uscc, u.kind, u.is_budget_unit, u.has_canteen,
       u.name IN (SELECT name FROM names) AS by_name, u.uscc IN (SELECT name FROM names) AS by_code
FROM assist_assistingunit u
WHERE u.name IN (SELECT name FROM names) OR u.uscc IN (SELECT name FROM names)
"""

# unit_of(text): the unit id a text names, or an error array; used for units and for the unit part of a cadre.
UNIT_LOOKUP = """
    SELECT t.text, coalesce(c.id, CASE WHEN n.count = 1 THEN n.id END) AS unit_id,
           CASE WHEN c.id IS NULL AND n.count IS NULL THEN '单位“' || t.text || '”未登记'
                WHEN c.id IS NULL AND n.count > 1 THEN '单位“' || t.text || '”有重名，请改填统一社会信用代码' END AS err
    FROM texts t
    LEFT JOIN imp_unit c ON c.by_code AND c.uscc = upper(t.text)
    LEFT JOIN (SELECT name, count(*) AS count, min(id) AS id FROM imp_unit WHERE by_name GROUP BY name) n
           ON n.name = t.text
"""

# Every distinct (buyer kind, buyer text): the unit or cadre it names, its key, and the first error if any.
BUYERS = f"""
CREATE TEMP TABLE imp_buyer ON COMMIT DROP AS
WITH pairs AS (
    SELECT DISTINCT k.value AS kind, s.buyer AS text,
           CASE WHEN k.value = 'cadre' THEN btrim(split_part(s.buyer, '/', 1), %(space)s) ELSE s.buyer END AS unit_text,
           CASE WHEN k.value = 'cadre' AND position('/' IN s.buyer) > 0
                THEN substr(s.buyer, position('/' IN s.buyer) + 1) ELSE '' END AS cadre_text
    FROM imp_stage s JOIN imp_choice k ON k.col = '购买方类型' AND k.label = s.bkind
), texts AS (SELECT DISTINCT unit_text AS text FROM pairs),
looked AS ({UNIT_LOOKUP}),
cadres AS (
    SELECT p.kind, p.text, count(c.id) AS count, min(c.id) AS id
    FROM pairs p JOIN looked l ON l.text = p.unit_text
         LEFT JOIN assist_cadre c ON c.unit_id = l.unit_id AND c.name = btrim(p.cadre_text, %(space)s)
    WHERE p.kind = 'cadre' AND p.cadre_text <> '' AND l.unit_id IS NOT NULL GROUP BY p.kind, p.text
)
SELECT p.kind, p.text,
       CASE WHEN p.kind NOT IN ('cadre', 'individual') THEN l.unit_id END AS unit_id,
       CASE WHEN p.kind = 'cadre' THEN c.id END AS cadre_id,
       CASE WHEN p.kind = 'cadre' THEN (SELECT unit_id FROM assist_cadre WHERE id = c.id) ELSE l.unit_id END
           AS scope_unit_id,
       CASE WHEN p.kind = 'cadre' THEN 'cadre:' || c.id WHEN p.kind <> 'individual' THEN p.kind || ':' || l.unit_id
       END AS key,
       CASE
         WHEN p.kind = 'individual' THEN NULL
         WHEN p.kind = 'cadre' AND p.cadre_text <> '' AND l.err IS NOT NULL THEN l.err
         WHEN p.kind = 'cadre' AND coalesce(c.count, 0) <> 1
              THEN '干部“' || p.text || '”未找到或有重名，请写“单位名称/干部姓名”'
         WHEN p.kind = 'cadre' THEN NULL
         WHEN p.text = '' THEN '不能为空'
         WHEN l.err IS NOT NULL THEN l.err
         WHEN NOT (u.kind = ANY (CASE p.kind WHEN 'unit' THEN %(unit_kinds)s::text[] WHEN 'canteen' THEN %(canteen_kinds)s::text[]
                                 WHEN 'enterprise' THEN %(enterprise_kinds)s::text[] ELSE %(social_kinds)s::text[] END))
              THEN %(buyer_prefix)s || '“' || u.name || '”是' || uk.label || '，不能作为' || bk.label
         WHEN p.kind = 'canteen' AND NOT (u.is_budget_unit AND u.has_canteen)
              THEN %(buyer_prefix)s || '“' || u.name || '”未登记机关食堂'
       END AS err
FROM pairs p
LEFT JOIN looked l ON l.text = p.unit_text
LEFT JOIN cadres c ON c.kind = p.kind AND c.text = p.text
LEFT JOIN imp_unit u ON u.id = l.unit_id
LEFT JOIN imp_choice uk ON uk.col = 'unit_kind' AND uk.value = u.kind
LEFT JOIN imp_choice bk ON bk.col = 'buyer_kind_label' AND bk.value = p.kind
"""

OUTLETS = """
CREATE TEMP TABLE imp_outlet ON COMMIT DROP AS
SELECT county_code, name, count(*) AS count, min(id) AS id, min(opened_on) AS opened_on,
       min(closed_on) AS closed_on
FROM market_outlet WHERE name IN (SELECT DISTINCT outlet FROM imp_stage) GROUP BY county_code, name
"""

# Each row resolved, with the first error it would have as the first row of a purchase (draft_err) and
# the first error of its line (line_err); errors are ARRAY[column, message].
ROWS = """
CREATE TEMP TABLE imp_row ON COMMIT DROP AS
SELECT s.line, s.ext, s.dat, d.day, k.value AS kind, s.buyer, b.unit_id, b.cadre_id, b.key, ch.value AS channel,
       sl.household_id, sl.producer_id, sl.seller_kind, sl.self_selling, sl.village_id, sl.county_code,
       CASE WHEN sl.self_selling THEN 'self' ELSE coalesce(ru.value, 'entered') END AS rule, s.entered,
       o.id AS outlet_id, s.product, s.category, s.unit,
       coalesce(sc.value, CASE sl.seller_kind WHEN 'household' THEN 'own' WHEN 'cooperative' THEN 'coop'
                                              ELSE 'enterprise' END) AS source,
       n.qty, n.price, n.cent, (s.ext = '' OR length(s.ext) > 64) AS bad_ext,
       (s.ext IN (SELECT external_id FROM ledger_purchase WHERE external_id IS NOT NULL)) AS skipped,
       CASE
         WHEN d.day IS NULL THEN ARRAY['日期', '日期“' || s.dat || '”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日']
         WHEN d.day > %(today)s OR d.day < %(earliest)s
              THEN ARRAY['日期', to_char(d.day, 'YYYY-MM-DD') || ' 不在 2013-01-01 至今天之间']
         WHEN s.bkind = '' THEN ARRAY['购买方类型', '不能为空']
         WHEN k.value IS NULL THEN ARRAY['购买方类型', '“' || s.bkind || '”不在可选范围内']
         WHEN b.err IS NOT NULL THEN ARRAY['购买方', b.err]
         WHEN s.chan = '' THEN ARRAY['渠道', '不能为空']
         WHEN ch.value IS NULL THEN ARRAY['渠道', '“' || s.chan || '”不在可选范围内']
         WHEN sl.village_id IS NULL
              THEN ARRAY['销售方', '“' || s.seller || '”既不是已登记的户编号，也不是本区域经营主体的统一社会信用代码']
         WHEN NOT CASE %(scope)s WHEN 'all' THEN true WHEN 'region' THEN starts_with(sl.village_id, %(prefix)s)
                  WHEN 'unit' THEN coalesce(b.scope_unit_id = %(scope_unit)s, false)
                  WHEN 'producer' THEN coalesce(sl.producer_id = %(scope_producer)s, false) ELSE false END
              THEN ARRAY['销售方', %(out_of_scope)s]
         WHEN NOT sl.self_selling AND s.rule <> '' AND ru.value IS NULL
              THEN ARRAY['分配方式', '“' || s.rule || '”不在可选范围内']
         WHEN ch.value <> 'outlet' AND s.outlet <> '' THEN ARRAY['网点', '渠道不是销售网点时不填网点']
         WHEN ch.value <> 'outlet' THEN NULL
         WHEN o.count IS NULL THEN ARRAY['网点', '销售方所在县没有名为“' || s.outlet || '”的网点']
         WHEN o.count > 1 THEN ARRAY['网点', '网点“' || s.outlet || '”重名']
         WHEN NOT (o.opened_on <= d.day AND (o.closed_on IS NULL OR d.day < o.closed_on))
              THEN ARRAY['网点', '网点“' || s.outlet || '”在 ' || to_char(d.day, 'YYYY-MM-DD') || ' 未营业']
       END AS draft_err,
       CASE
         WHEN s.product = '' THEN ARRAY['产品', '不能为空']
         WHEN s.unit = '' THEN ARRAY['单位', '不能为空']
         WHEN n.qty IS NULL THEN ARRAY['数量', '“”不是有效数字']
         WHEN n.qty < 0 THEN ARRAY['数量', '“' || replace(s.qty, ',', '') || '”须为非负数']
         WHEN n.price IS NULL THEN ARRAY['单价', '“”不是有效数字']
         WHEN n.price < 0 OR n.price <> round(n.price, 2)
              THEN ARRAY['单价', '“' || replace(s.price, ',', '') || '”须为非负数，最多两位小数']
         WHEN n.qty = 0 THEN ARRAY['数量', '必须大于0']
         WHEN s.amount = '' THEN NULL
         WHEN n.amount IS NULL THEN ARRAY['金额', '“”不是有效数字']
         WHEN n.amount < 0 OR n.amount <> round(n.amount, 2)
              THEN ARRAY['金额', '“' || replace(s.amount, ',', '') || '”须为非负数，最多两位小数']
         WHEN n.amount <> n.cent THEN ARRAY['金额', s.amount || ' 不等于数量×单价 ' || n.cent::text]
       END AS line_err,
       CASE
         WHEN s.source = '' THEN NULL
         WHEN sc.value IS NULL THEN ARRAY['产品来源', '“' || s.source || '”不在可选范围内']
         WHEN sc.value <> 'own' AND sl.seller_kind = 'household' THEN ARRAY['产品来源', '农户销售的产品来源只能是农户自产']
       END AS source_err
FROM imp_stage s
CROSS JOIN LATERAL (SELECT pg_temp.imp_num(s.qty) AS qty, pg_temp.imp_num(s.price) AS price,
                           pg_temp.imp_num(s.amount) AS amount,
                           pg_temp.imp_cent(pg_temp.imp_num(s.qty) * pg_temp.imp_num(s.price)) AS cent) n
LEFT JOIN imp_date d ON d.dat = s.dat
LEFT JOIN imp_choice k ON k.col = '购买方类型' AND k.label = s.bkind
LEFT JOIN imp_choice ch ON ch.col = '渠道' AND ch.label = s.chan
LEFT JOIN imp_choice sc ON sc.col = '产品来源' AND sc.label = s.source
LEFT JOIN imp_choice ru ON ru.col = '分配方式' AND ru.label = s.rule
LEFT JOIN imp_buyer b ON b.kind = k.value AND b.text = s.buyer
LEFT JOIN imp_producer pr ON pr.uscc = upper(s.seller)
LEFT JOIN registry_household h ON h.number = s.seller AND pr.id IS NULL
CROSS JOIN LATERAL (SELECT h.id AS household_id, pr.id AS producer_id,
                           CASE WHEN pr.kind IS NULL OR pr.kind = 'household' THEN 'household' ELSE pr.kind END
                               AS seller_kind,
                           h.id IS NOT NULL OR pr.household_id IS NOT NULL AS self_selling,
                           coalesce(pr.region_id, h.village_id) AS village_id,
                           coalesce(pr.county_code, left(h.village_id, 6) || '000000') AS county_code) sl
LEFT JOIN imp_outlet o ON o.county_code = sl.county_code AND o.name = s.outlet
"""

# The report: per row its one error, in the order parse.py finds them. The head of a purchase is its first
# row without a purchase-level error; rows before it report that error, rows after it are continuation rows.
ERRORS = """
CREATE TEMP TABLE imp_error ON COMMIT DROP AS
WITH heads AS (
    SELECT ext, min(line) AS head FROM imp_row WHERE NOT bad_ext AND NOT skipped AND draft_err IS NULL GROUP BY ext
)
SELECT r.line, e.err[1] AS col, e.err[2] AS message
FROM imp_row r LEFT JOIN heads h ON h.ext = r.ext LEFT JOIN imp_row hr ON hr.line = h.head
CROSS JOIN LATERAL (SELECT CASE
    WHEN r.bad_ext THEN ARRAY['外部编号', '不能为空，且不超过64个字符']
    WHEN r.skipped THEN NULL
    WHEN h.head IS NULL OR r.line < h.head THEN r.draft_err
    WHEN r.line > h.head AND r.dat <> '' AND r.day IS NULL
         THEN ARRAY['日期', '日期“' || r.dat || '”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日']
    WHEN r.line > h.head AND r.dat <> '' AND (r.day > %(today)s OR r.day < %(earliest)s)
         THEN ARRAY['日期', to_char(r.day, 'YYYY-MM-DD') || ' 不在 2013-01-01 至今天之间']
    WHEN r.line > h.head AND r.dat <> '' AND r.day <> hr.day
         THEN ARRAY['日期', '与外部编号 ' || r.ext || ' 第一行（第' || h.head || '行）的日期不一致']
    ELSE coalesce(r.line_err, r.source_err) END AS err) e
WHERE e.err IS NOT NULL
"""

# ---- Attribution: who earned from each purchase (attribution.py); any problem sends the file to Python ----

# Each purchase (draft) of a file naming producers: its head row and the sum of its lines without errors.
DRAFTS = """
CREATE TEMP TABLE imp_draft ON COMMIT DROP AS
WITH heads AS (
    SELECT ext, min(line) AS head FROM imp_row WHERE NOT bad_ext AND NOT skipped AND draft_err IS NULL GROUP BY ext
), totals AS (
    SELECT g.ext, sum(g.cent) AS total FROM imp_row g JOIN heads h ON h.ext = g.ext AND g.line >= h.head
    WHERE NOT EXISTS (SELECT 1 FROM imp_error e WHERE e.line = g.line) GROUP BY g.ext
)
SELECT r.ext, r.day, r.rule, r.producer_id, coalesce(r.household_id, pr.household_id) AS self_household, r.entered,
       coalesce(t.total, 0) AS total
FROM heads h JOIN imp_row r ON r.line = h.head LEFT JOIN totals t ON t.ext = h.ext
LEFT JOIN imp_producer pr ON pr.id = r.producer_id
"""

# The 受益农户 cell of a purchase entered household by household, split as parse.py splits it.
PARTS = """
CREATE TEMP TABLE imp_part ON COMMIT DROP AS
SELECT d.ext, x.ord, x.number, x.amount_text, h.id AS household_id,
       CASE WHEN x.amount_text ~ '^[+]?([0-9]{1,9}(\\.[0-9]{0,2})?|\\.[0-9]{1,2})$' THEN x.amount_text::numeric END AS amount
FROM imp_draft d
CROSS JOIN LATERAL (
    SELECT t.ord, btrim(split_part(t.part, ':', 1), %(space)s) AS number,
           CASE WHEN position(':' IN t.part) > 0 THEN btrim(substr(t.part, position(':' IN t.part) + 1), %(space)s)
                ELSE '' END AS amount_text
    FROM (SELECT btrim(part, %(space)s) AS part, ord
          FROM regexp_split_to_table(replace(replace(d.entered, '；', ';'), '：', ':'), ';') WITH ORDINALITY AS p(part, ord)) t
    WHERE t.part <> ''
) x
LEFT JOIN registry_household h ON h.number = x.number
WHERE d.rule = 'entered'
"""
EMPTY_PARTS = """
CREATE TEMP TABLE imp_part (ext text, ord bigint, number text, amount_text text, household_id integer,
    amount numeric) ON COMMIT DROP
"""

# On the day of sale: households linked to a producer, and members holding shares (LinkageBook).
LINKED = """
CREATE TEMP TABLE imp_linked ON COMMIT DROP AS
SELECT DISTINCT d.ext, l.household_id FROM imp_draft d
JOIN registry_linkage l ON l.producer_id = d.producer_id AND l.start <= d.day AND (l."end" IS NULL OR l."end" >= d.day)
WHERE d.rule IN ('equal_linked', 'entered')
"""
MEMBERS = """
CREATE TEMP TABLE imp_member ON COMMIT DROP AS
SELECT d.ext, m.household_id, m.shares FROM imp_draft d
JOIN registry_coopmember m ON m.producer_id = d.producer_id AND m.household_id IS NOT NULL AND m.shares > 0
 AND m.joined_on <= d.day AND (m.left_on IS NULL OR m.left_on > d.day)
WHERE d.rule IN ('coop_shares', 'entered')
"""
EMPTY_SHARES = [
    "CREATE TEMP TABLE imp_linked (ext text, household_id integer) ON COMMIT DROP",
    "CREATE TEMP TABLE imp_member (ext text, household_id integer, shares numeric) ON COMMIT DROP",
]

# Any purchase whose attribution parse.py would refuse: the Python path then names each of them. Counted rather
# than EXISTS, so that the planner hashes the anti-joins instead of scanning per row for an early stop.
ATTRIBUTION_FALLBACK = """
SELECT (SELECT count(*) FROM imp_draft d WHERE d.rule = 'self' AND d.self_household IS NULL)
     + (SELECT count(*) FROM imp_draft d LEFT JOIN (SELECT DISTINCT ext FROM imp_part) p ON p.ext = d.ext
        WHERE d.rule = 'entered' AND p.ext IS NULL)
     + (SELECT count(*) FROM imp_part p WHERE p.household_id IS NULL OR p.amount IS NULL OR p.amount <= 0)
     + (SELECT count(*) FROM (SELECT 1 FROM imp_part GROUP BY ext, household_id HAVING count(*) > 1) x)
     + (SELECT count(*) FROM imp_part p
        LEFT JOIN imp_linked l ON l.ext = p.ext AND l.household_id = p.household_id
        LEFT JOIN (SELECT DISTINCT ext, household_id FROM imp_member) m ON m.ext = p.ext AND m.household_id = p.household_id
        WHERE l.ext IS NULL AND m.ext IS NULL)
     + (SELECT count(*) FROM imp_draft d JOIN (SELECT ext, sum(amount) AS paid FROM imp_part GROUP BY ext) s
        ON s.ext = d.ext WHERE s.paid > d.total)
     + (SELECT count(*) FROM imp_draft d LEFT JOIN (SELECT DISTINCT ext FROM imp_linked) l ON l.ext = d.ext
        WHERE d.rule = 'equal_linked' AND l.ext IS NULL)
     + (SELECT count(*) FROM imp_draft d LEFT JOIN (SELECT DISTINCT ext FROM imp_member) m ON m.ext = d.ext
        WHERE d.rule = 'coop_shares' AND m.ext IS NULL) > 0
"""

# ---- Writing: purchases, lines, beneficiaries, then the rollups (see staging_write.py) ----

PERSONS = "CREATE TEMP TABLE imp_person (name text PRIMARY KEY, key text) ON COMMIT DROP"
PERSON_NAMES = "SELECT DISTINCT left(buyer, 100) FROM imp_row WHERE kind = 'individual' AND NOT skipped"

# One row per purchase: its head row, the sum of its lines by source, and the seller region's flags at the sale.
PURCHASES = """
CREATE TEMP TABLE imp_purchase ON COMMIT DROP AS
SELECT nextval(pg_get_serial_sequence('ledger_purchase', 'id')) AS id, x.*, v.level AS region_level,
       CASE WHEN v.poor_since IS NULL THEN v.is_poor
            ELSE v.poor_since <= extract(year FROM x.day) AND (v.poor_until IS NULL OR extract(year FROM x.day) < v.poor_until)
       END AS village_poor
FROM (
    SELECT r.ext, r.line, r.day, r.village_id, r.county_code, r.kind, r.unit_id, r.cadre_id,
           CASE WHEN r.kind = 'individual' THEN left(r.buyer, 100) ELSE '' END AS buyer_name,
           coalesce(r.key, pp.key, 'anon:' || replace(gen_random_uuid()::text, '-', '')) AS buyer_key,
           r.channel, r.outlet_id, r.seller_kind, r.household_id, r.producer_id,
           coalesce(r.household_id, pr.household_id) AS self_household, r.rule, t.total, t.own, t.coop, t.ent
    FROM imp_row r
    JOIN (SELECT ext, min(line) AS head, sum(cent) AS total,
                 coalesce(sum(cent) FILTER (WHERE source = 'own'), 0) AS own,
                 coalesce(sum(cent) FILTER (WHERE source = 'coop'), 0) AS coop,
                 coalesce(sum(cent) FILTER (WHERE source = 'enterprise'), 0) AS ent
          FROM imp_row WHERE NOT skipped GROUP BY ext) t
      ON t.head = r.line
    LEFT JOIN imp_person pp ON r.kind = 'individual' AND pp.name = left(r.buyer, 100)
    LEFT JOIN imp_producer pr ON pr.id = r.producer_id
    ORDER BY r.line
) x
JOIN regions_region v ON v.code = x.village_id
"""

# The shares of each purchase in order: the seller household, the entered ones, or split by weight to the fen
# (attribution.split: rounded down, the fen left over to the first shares).
# imp_linked and imp_member were built for the check (a file without errors: its drafts are its purchases).
SHARES = """
CREATE TEMP TABLE imp_share ON COMMIT DROP AS
WITH d AS (SELECT id, ext, total FROM imp_purchase WHERE rule IN ('equal_linked', 'coop_shares')),
w AS (
    SELECT l.ext, l.household_id, 1::numeric AS weight, row_number() OVER (PARTITION BY l.ext ORDER BY l.household_id) AS ord
    FROM imp_linked l JOIN imp_purchase p ON p.ext = l.ext AND p.rule = 'equal_linked'
    UNION ALL
    SELECT m.ext, m.household_id, m.shares,
           row_number() OVER (PARTITION BY m.ext ORDER BY m.household_id, m.shares)
    FROM imp_member m JOIN imp_purchase p ON p.ext = m.ext AND p.rule = 'coop_shares'
), f AS (
    SELECT w.ext, w.ord, w.household_id, d.id, d.total,
           div(d.total * 100 * w.weight, sum(w.weight) OVER (PARTITION BY w.ext)) AS fen
    FROM w JOIN d ON d.ext = w.ext
)
SELECT id AS purchase_id, 1::bigint AS ord, self_household AS household_id, total AS amount
FROM imp_purchase WHERE rule = 'self'
UNION ALL
SELECT p.id, e.ord, e.household_id, e.amount FROM imp_purchase p JOIN imp_part e ON e.ext = p.ext WHERE p.rule = 'entered'
UNION ALL
SELECT id, ord, household_id,
       round((fen + CASE WHEN ord <= total * 100 - sum(fen) OVER (PARTITION BY ext) THEN 1 ELSE 0 END) / 100, 2)
FROM f
"""

# Each share with the household's status, village and village flag on the day (services.beneficiary_rows).
BENEFICIARIES = """
CREATE TEMP TABLE imp_benef ON COMMIT DROP AS
SELECT s.purchase_id, s.ord, s.household_id, s.amount, st.status, st.status = ANY (%(registered)s::text[]) AS registered,
       h.village_id, h.county_code, p.day,
       CASE WHEN v.poor_since IS NULL THEN v.is_poor
            ELSE v.poor_since <= extract(year FROM p.day) AND (v.poor_until IS NULL OR extract(year FROM p.day) < v.poor_until)
       END AS village_poor
FROM imp_share s
JOIN imp_purchase p ON p.id = s.purchase_id
JOIN registry_household h ON h.id = s.household_id
JOIN regions_region v ON v.code = h.village_id
CROSS JOIN LATERAL (SELECT coalesce((
    SELECT t.value FROM registry_statusevent e JOIN imp_choice t ON t.col = 'transition' AND t.label = e.kind
    WHERE e.household_id = s.household_id AND e.date <= p.day ORDER BY e.date DESC, e.id DESC LIMIT 1
), 'non_poor') AS status) st
"""

INSERT_PURCHASES = """
INSERT INTO ledger_purchase (id, external_id, date, region_id, county_code, buyer_kind, buyer_unit_id,
    buyer_cadre_id, buyer_name, buyer_key, channel, outlet_id, seller_kind, seller_household_id, seller_producer_id,
    total, attribution, note, source, recorded_by_id, recorded_at)
SELECT id, ext, day, village_id, county_code, kind, unit_id, cadre_id, buyer_name, buyer_key, channel, outlet_id,
       seller_kind, household_id, producer_id, total, rule, %(note)s, 'import', %(user)s, %(now)s
FROM imp_purchase ORDER BY id
"""

INSERT_LINES = """
INSERT INTO ledger_purchaseline (purchase_id, purchase_date, product, category, quantity, unit, unit_price, amount,
    source)
SELECT p.id, p.day, left(r.product, 100), left(r.category, 50), r.qty, left(r.unit, 16), r.price, r.cent, r.source
FROM imp_row r JOIN imp_purchase p ON p.ext = r.ext WHERE NOT r.skipped ORDER BY r.line
"""

INSERT_BENEFICIARIES = """
INSERT INTO ledger_beneficiary (purchase_id, purchase_date, household_id, amount, status, registered, village_id,
    village_poor, county_code)
SELECT purchase_id, day, household_id, amount, status, registered, village_id, village_poor, county_code
FROM imp_benef ORDER BY purchase_id, ord
"""

# Levels of the region tree by code length; a region counts at a level when its code goes below the previous one.
LEVELS = "lv (level, len, prev) AS (VALUES (1, 2, 0), (2, 4, 2), (3, 6, 4), (4, 9, 6), (5, 12, 9))"
UNDER = "(lv.prev = 0 OR substr({code}, lv.prev + 1) <> repeat('0', 12 - lv.prev))"
ANCESTOR = "rpad(left({code}, lv.len), 12, '0')"

# Additive measures at the seller's region (purchases, amounts by source) and the beneficiaries' villages (income).
FINE = """
CREATE TEMP TABLE imp_fine ON COMMIT DROP AS
SELECT code, day, sum(purchases) AS purchases, sum(fen) AS fen, sum(own) AS own, sum(coop) AS coop,
       sum(ent) AS ent, sum(poor) AS poor, sum(nonpoor) AS nonpoor
FROM (
    SELECT village_id AS code, day, count(*) AS purchases, sum(round(total * 100))::bigint AS fen,
           sum(round(own * 100))::bigint AS own, sum(round(coop * 100))::bigint AS coop,
           sum(round(ent * 100))::bigint AS ent, 0::bigint AS poor, 0::bigint AS nonpoor
    FROM imp_purchase GROUP BY village_id, day
    UNION ALL
    SELECT village_id, day, 0, 0, 0, 0, 0, sum(CASE WHEN registered THEN round(amount * 100) ELSE 0 END)::bigint,
           sum(CASE WHEN registered THEN 0 ELSE round(amount * 100) END)::bigint
    FROM imp_benef GROUP BY village_id, day
) u GROUP BY code, day
"""
ADDITIVE_COLUMNS = (
    "purchases, amount_total, amount_own, amount_coop, amount_enterprise, poor_income, nonpoor_income"
)
ADDITIVE_SUMS = (
    "sum(f.purchases), sum(f.fen), sum(f.own), sum(f.coop), sum(f.ent), sum(f.poor), sum(f.nonpoor)"
)
# Cells whose increments are all zero are not written, as rollups.write leaves them out. Rows go in in the order
# of the rollup's key, so that its index is written page by page (a quarter less time than hash order).
ADDITIVE_ANY = "sum(f.purchases) <> 0 OR sum(f.fen) <> 0 OR sum(f.poor) <> 0 OR sum(f.nonpoor) <> 0"
ADDITIVE_UPDATE = ", ".join(f"{c} = {{table}}.{c} + excluded.{c}" for c in ADDITIVE_COLUMNS.split(", "))

DAY_ADDITIVE = f"""
WITH {LEVELS}
INSERT INTO ledger_dayrollup (region_code, level, day, {ADDITIVE_COLUMNS})
SELECT {ANCESTOR.format(code="f.code")}, lv.level, f.day, {ADDITIVE_SUMS}
FROM imp_fine f JOIN lv ON {UNDER.format(code="f.code")} GROUP BY 1, 2, 3 HAVING {ADDITIVE_ANY} ORDER BY 1, 3
ON CONFLICT (region_code, day) DO UPDATE SET {ADDITIVE_UPDATE.format(table="ledger_dayrollup")}
"""

MONTH_ADDITIVE = f"""
WITH {LEVELS}
INSERT INTO ledger_monthrollup (region_code, level, year, month, {ADDITIVE_COLUMNS})
SELECT {ANCESTOR.format(code="f.code")}, lv.level, extract(year FROM f.day), extract(month FROM f.day),
       {ADDITIVE_SUMS}
FROM imp_fine f JOIN lv ON {UNDER.format(code="f.code")} GROUP BY 1, 2, 3, 4 HAVING {ADDITIVE_ANY} ORDER BY 1, 3, 4
ON CONFLICT (region_code, year, month) DO UPDATE SET {ADDITIVE_UPDATE.format(table="ledger_monthrollup")}
"""

# The entities each purchase makes present (contribution.entities for a household selling its own produce).
SLOTS = """
CREATE TEMP TABLE imp_slot ON COMMIT DROP AS
SELECT kind, key, region_code, day, count(*) AS n FROM (
    SELECT CASE kind WHEN 'unit' THEN 'bu' WHEN 'cadre' THEN 'bc' WHEN 'canteen' THEN 'bk' WHEN 'enterprise' THEN 'be'
                WHEN 'social_org' THEN 'bs' ELSE 'bi' END AS kind, buyer_key AS key, village_id AS region_code, day,
           id
    FROM imp_purchase
    UNION
    SELECT CASE WHEN registered THEN 'hp' ELSE 'hn' END, household_id::text, village_id, day, purchase_id
    FROM imp_benef
    UNION
    SELECT CASE WHEN village_poor THEN 'vp' ELSE 'vn' END, village_id, village_id, day, purchase_id FROM imp_benef
    UNION
    SELECT CASE WHEN village_poor THEN 'vp' ELSE 'vn' END, village_id, village_id, day, id
    FROM imp_purchase WHERE region_level = 5
) e GROUP BY kind, key, region_code, day
"""

# The present rows, before this import, of every entity it touches, in the years it touches.
BEFORE = """
CREATE TEMP TABLE imp_before ON COMMIT DROP AS
SELECT p.kind, p.key, p.region_code, p.day
FROM ledger_presence p
JOIN (SELECT DISTINCT kind, key, extract(year FROM day)::int AS y FROM imp_slot) e
  ON p.kind = e.kind AND p.key = e.key AND p.day BETWEEN make_date(e.y, 1, 1) AND make_date(e.y, 12, 31)
WHERE p.refcount > 0
"""

PRESENCE = """
INSERT INTO ledger_presence (kind, key, region_code, day, refcount)
SELECT kind, key, region_code, day, n FROM imp_slot ORDER BY kind, key, region_code, day
ON CONFLICT (kind, key, region_code, day) DO UPDATE SET refcount = ledger_presence.refcount + excluded.refcount
"""

# Per entity, year, ancestor and month: present before (was) and/or made present by this import (is_new).
# One pass: slots and earlier rows collapse to months per region, then expand to ancestors once. Groups with
# only earlier rows (ancestors this import does not touch) give no delta in distinct_upsert, so they need no filter.
ANCESTOR_MONTHS = f"""
CREATE TEMP TABLE imp_am ON COMMIT DROP AS
WITH {LEVELS},
s AS (SELECT kind, key, y, m, region_code, bool_or(is_new) AS is_new, bool_or(NOT is_new) AS was
      FROM (SELECT kind, key, extract(year FROM day)::int AS y, extract(month FROM day)::int AS m, region_code,
                   true AS is_new FROM imp_slot
            UNION ALL
            SELECT kind, key, extract(year FROM day)::int, extract(month FROM day)::int, region_code, false
            FROM imp_before) u
      GROUP BY kind, key, y, m, region_code)
SELECT s.kind, s.key, s.y, lv.level, {ANCESTOR.format(code="s.region_code")} AS anc, s.m,
       bool_or(s.is_new) AS is_new, bool_or(s.was) AS was
FROM s JOIN lv ON {UNDER.format(code="s.region_code")}
GROUP BY 1, 2, 3, 4, 5, 6
"""


def distinct_upsert(kinds: tuple[str, ...]) -> str:
    """m_ += 1 for months newly present; y_ moves when the first month of the year moves earlier.

    The deltas are summed per column first (k), so the pivot into columns aggregates a few rows, not millions.
    """
    columns = [f"{p}_{k}" for k in kinds for p in ("m", "y")]
    sums = [
        f"sum(CASE WHEN col = '{c[0]}' AND kind = '{c[2:]}' THEN delta ELSE 0 END) AS {c}" for c in columns
    ]
    updates = ", ".join(f"{c} = ledger_monthrollup.{c} + excluded.{c}" for c in columns)
    return f"""
WITH g AS (
    SELECT kind, key, y, level, anc, min(m) FILTER (WHERE was) AS fb, min(m) AS fa
    FROM imp_am GROUP BY kind, key, y, level, anc
), d AS (
    SELECT anc, level, y, m, kind, 'm' AS col, 1 AS delta FROM imp_am WHERE is_new AND NOT was
    UNION ALL SELECT anc, level, y, fa, kind, 'y', 1 FROM g WHERE fb IS NULL OR fa < fb
    UNION ALL SELECT anc, level, y, fb, kind, 'y', -1 FROM g WHERE fb IS NOT NULL AND fa < fb
)
INSERT INTO ledger_monthrollup (region_code, level, year, month, {", ".join(columns)})
SELECT * FROM (SELECT anc, level, y, m, {", ".join(sums)}
               FROM (SELECT anc, level, y, m, kind, col, sum(delta) AS delta FROM d GROUP BY 1, 2, 3, 4, 5, 6) k
               GROUP BY anc, level, y, m) s
WHERE {" OR ".join(f"s.{c} <> 0" for c in columns)}
ORDER BY anc, y, m
ON CONFLICT (region_code, year, month) DO UPDATE SET {updates}
"""

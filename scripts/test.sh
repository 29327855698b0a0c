#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL when reachable.
# YIGOU_REQUIRE_POSTGRES=1 / YIGOU_REQUIRE_BROWSER=1 (set by .ci/run) turn "absent" into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p var

if [ -x "${YIGOU_CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "== Chromium found: browser tests will run"
elif [ "${YIGOU_REQUIRE_BROWSER:-0}" = "1" ]; then
  echo "!! Chromium (${YIGOU_CHROMIUM:-/usr/bin/chromium}) is required but missing" >&2; exit 1
else
  echo "== Chromium not found at ${YIGOU_CHROMIUM:-/usr/bin/chromium}: browser tests will be SKIPPED (apt-get install -y chromium)"
fi

echo "== Test run 1/2: SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" $PY -m pytest "$@"

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yigou}"
if DATABASE_URL="$PG_URL" $PY - <<'PYEOF'
import os, sys
import dj_database_url, psycopg
cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
if not cfg["ENGINE"].endswith("postgresql"):
    sys.exit(1)
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"   ({exc.__class__.__name__}: {exc})".strip())
    sys.exit(1)
PYEOF
then
  echo "== Test run 2/2: PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $PY -m pytest "$@"
elif [ "${YIGOU_REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "!! PostgreSQL is required but not reachable at $PG_URL" >&2; exit 1
else
  echo "== PostgreSQL not reachable at $PG_URL: the PostgreSQL run is SKIPPED (set DATABASE_URL to point at one)"
fi

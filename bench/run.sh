#!/usr/bin/env bash
# make bench: each benchmark prints throughput, latency and its ratio to the raw database doing the same work.
# BENCH_SCALE=small for about a minute; default is the full (national) scale. Uses PostgreSQL when reachable.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p var bench/out
PG_ADMIN_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"

fresh_database() {  # $1: name — prints the DATABASE_URL of a new, migrated, empty database
  if psql "$PG_ADMIN_URL/postgres" -qAtc "select 1" >/dev/null 2>&1; then
    psql "$PG_ADMIN_URL/postgres" -qc "DROP DATABASE IF EXISTS $1" >/dev/null
    psql "$PG_ADMIN_URL/postgres" -qc "CREATE DATABASE $1" >/dev/null
    echo "$PG_ADMIN_URL/$1"
  else
    rm -f "var/$1.sqlite3"*
    echo "sqlite:///$(pwd)/var/$1.sqlite3"
  fi
}

# BENCHES="orders" runs only those named (supply: the unsold-produce scan; anomalies: the fake-figure scan of one
# county-year; both PostgreSQL only).
for bench in ${BENCHES:-registry ledger orders supply anomalies}; do
  # BENCH_REUSE=1 keeps a database an earlier run generated (the benches that support it skip generation).
  if [ "${BENCH_REUSE:-}" = 1 ] && psql "$PG_ADMIN_URL/yigou_bench_$bench" -qAtc "select 1" >/dev/null 2>&1; then
    export DATABASE_URL="$PG_ADMIN_URL/yigou_bench_$bench"
  else
    export DATABASE_URL="$(fresh_database "yigou_bench_$bench")"
  fi
  $PY -m yigou.manage migrate --no-input -v0
  $PY "bench/$bench.py" | tee "bench/out/$bench.txt"
done

#!/usr/bin/env bash
# make bench: each benchmark prints throughput, latency and its ratio to the raw database doing the same work.
# BENCH_SCALE=small for about a minute; default is the full scale. Uses PostgreSQL when reachable, else SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=config.settings.test
mkdir -p var bench/out
PG_ADMIN_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
if psql "$PG_ADMIN_URL/postgres" -qAtc "select 1" >/dev/null 2>&1; then
  psql "$PG_ADMIN_URL/postgres" -qc "DROP DATABASE IF EXISTS yigou_bench" >/dev/null
  psql "$PG_ADMIN_URL/postgres" -qc "CREATE DATABASE yigou_bench" >/dev/null
  export DATABASE_URL="$PG_ADMIN_URL/yigou_bench"
else
  echo "PostgreSQL not reachable: benchmarking on SQLite"
  rm -f var/bench.sqlite3*
  export DATABASE_URL="sqlite:///$(pwd)/var/bench.sqlite3"
fi
$PY -m yigou.manage migrate --no-input -v0
$PY bench/registry.py | tee bench/out/registry.txt

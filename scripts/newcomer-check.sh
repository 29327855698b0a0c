#!/usr/bin/env bash
# The README's first commands on a checkout where nothing else has run: `yigou migrate` into a var/ that does not
# exist yet, then `make run` until the login page answers in Chinese. CI runs this before the test suite, so a
# step that only works because the tests created something first fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=8000
LOG=$(mktemp)
# The newcomer uses the embedded SQLite database, whatever CI exports for the PostgreSQL test run.
unset DATABASE_URL

fail() { echo "!! newcomer check: $*" >&2; tail -n 40 "$LOG" >&2 || true; exit 1; }

echo "== newcomer: make venv, then yigou migrate into a var/ that does not exist"
make -s venv >"$LOG" 2>&1 || fail "make venv failed"
fresh_var="$(mktemp -d)/var"
YIGOU_VAR_DIR="$fresh_var" .venv/bin/yigou migrate --no-input -v0 >>"$LOG" 2>&1 || fail "yigou migrate failed"
[ -s "$fresh_var/yigou.sqlite3" ] || fail "yigou migrate wrote no $fresh_var/yigou.sqlite3"
rm -rf "$(dirname "$fresh_var")"

echo "== newcomer: make run (var/ exists: $([ -d var ] && echo yes || echo no))"
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then fail "port $PORT is already in use"; fi
setsid make run >>"$LOG" 2>&1 &
pid=$!
stop() { kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT

for _ in $(seq 1 480); do
  if ! kill -0 "$pid" 2>/dev/null; then fail "make run exited before serving"; fi
  body=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$PORT/login/" || true)
  if [ "${body##*$'\n'}" = "200" ]; then
    grep -q "登录" <<<"$body" || fail "the login page answered 200 without Chinese text"
    echo "== newcomer: http://127.0.0.1:$PORT/login/ answered 200 in Chinese"
    exit 0
  fi
  sleep 1
done
fail "the login page did not answer 200 within 480 s"

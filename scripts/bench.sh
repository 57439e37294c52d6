#!/usr/bin/env bash
# Runs every bench/*.py at the given size on SQLite, and again on PostgreSQL when one answers at
# $PGHOST:5432 (in a fresh database pakta_bench_<pid>, dropped afterwards), then repeats the
# RESULT lines. Usage: bash scripts/bench.sh small|national   (see bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-small}
case "$size" in
  small) rows=20000 ;;
  national) rows=100000 ;;
  *) echo "usage: $0 small|national" >&2; exit 2 ;;
esac
PY=${PY:-.venv/bin/python}
PGHOST=${PGHOST:-127.0.0.1}
out=$(mktemp)
db=""
cleanup() {
  rm -f "$out"
  if [ -n "$db" ]; then
    psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
pg_url=""
if command -v pg_isready >/dev/null && pg_isready -h "$PGHOST" -p 5432 -q; then
  db="pakta_bench_$$"
  psql -h "$PGHOST" -U postgres -d postgres -qc "CREATE DATABASE $db"
  pg_url="postgres://postgres@$PGHOST:5432/$db"
else
  echo "PostgreSQL at $PGHOST:5432 is not reachable: SQLite only."
fi
status=0
for bench in bench/[!_]*.py; do
  echo "=== $bench --rows $rows"
  # Each bench runs SQLite, and PostgreSQL too when DATABASE_URL is set.
  if [ -n "$pg_url" ]; then
    DATABASE_URL="$pg_url" "$PY" "$bench" --rows "$rows" | tee -a "$out" || status=1
  else
    env -u DATABASE_URL "$PY" "$bench" --rows "$rows" | tee -a "$out" || status=1
  fi
done
echo "=== results ($size)"
grep '^RESULT ' "$out" || { echo "no RESULT line" >&2; status=1; }
exit $status

#!/usr/bin/env bash
# `make run-scale`: the at-scale shape on this machine, from the Procfile, with honcho:
# gunicorn with ${WEB:-4} worker processes, ${WORKERS:-2} RQ workers and the scheduler, on the
# PostgreSQL at DATABASE_URL and the Redis at REDIS_URL (defaults: this machine's, database
# pakta_scale, created if missing). Ctrl-C stops everything. See docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pakta_scale}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export WEB_CONCURRENCY=${WEB:-${WEB_CONCURRENCY:-4}}
# honcho gives each process its own PORT (web 8000, worker 8100, ...): fix the address the
# workers write into documents to the one the web process serves on.
export PAKTA_SITE_URL=${PAKTA_SITE_URL:-http://127.0.0.1:${PORT:-8000}}
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "run-scale needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name." >&2; exit 2 ;;
esac
# Create the database when the server answers but the database does not exist yet.
$PY - <<'PY'
import os, sys
import dj_database_url, psycopg
from psycopg import sql

db = dj_database_url.parse(os.environ["DATABASE_URL"])
params = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or None,
              password=db["PASSWORD"] or None, connect_timeout=5)
try:
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"created database {db['NAME']}")
except psycopg.OperationalError:
    pass  # preflight says it in one line, with what to set
PY
if ! $PY manage.py preflight; then
  echo "Start them (e.g. 'sudo systemctl start postgresql redis-server') or set DATABASE_URL and REDIS_URL." >&2
  exit 1
fi
$PY manage.py migrate --no-input -v0
$PY manage.py load_demo
$PY manage.py collectstatic --no-input -v0
echo "Pakta at scale: http://127.0.0.1:${PORT:-8000}/  ($WEB_CONCURRENCY web processes, ${WORKERS:-2} RQ workers, scheduler; Ctrl-C stops)"
exec .venv/bin/honcho start -f Procfile -p "${PORT:-8000}" -c "web=1,worker=${WORKERS:-2},scheduler=1"

#!/usr/bin/env bash
# Serves Pakta on 127.0.0.1:8000 with a background task worker beside it; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ -n "${REDIS_URL:-}" ]; then
  # django-tasks-rq needs its own job class, or every task fails in the worker.
  $PY manage.py rqworker default --job-class django_tasks_rq.Job &
else
  $PY manage.py db_worker --interval 0.5 &
fi
worker=$!
# Sign a checkpoint of the transparency log every PAKTA_AUDIT_CHECKPOINT_SECONDS when events came
# (the task reschedules itself; the worker runs it).
$PY manage.py audit_checkpoint --schedule >/dev/null
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Pakta: http://127.0.0.1:${PORT:-8000}/  (demo accounts are listed on the login page)"
$PY manage.py runserver "127.0.0.1:${PORT:-8000}" --noreload

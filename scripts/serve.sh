#!/usr/bin/env bash
# Serves Pakta as in production: gunicorn (src/pakta/gunicorn_conf.py) with a task worker beside
# it, on 127.0.0.1:${PORT:-8000}. Ctrl-C (or SIGTERM) stops both. Used by `make run`; the
# at-scale shape is the Procfile (`make run-scale`). See docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# A database or Redis that does not answer, or a bad production setting: one line, and stop.
$PY manage.py preflight
# WhiteNoise serves what is in STATIC_ROOT (var/static/); it reads the directory when it starts.
$PY manage.py collectstatic --no-input -v0
pids=()
stop() {
  trap - INT TERM EXIT
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
if [ -n "${REDIS_URL:-}" ]; then
  # django-tasks-rq needs its own job class, or every task fails in the worker.
  $PY manage.py rqworker default --job-class django_tasks_rq.Job &
else
  $PY manage.py db_worker --interval 0.5 &
fi
pids+=($!)
# Sign a checkpoint of the transparency log every PAKTA_AUDIT_CHECKPOINT_SECONDS when events came
# (the task reschedules itself; the worker runs it).
$PY manage.py audit_checkpoint --schedule >/dev/null
# The daily reminders (and CRL refresh, audit check) at PAKTA_DAILY_AT: a periodic task the worker
# runs and reschedules, so no cron entry is needed.
$PY manage.py scheduler --schedule >/dev/null
.venv/bin/gunicorn --config python:pakta.gunicorn_conf &
pids+=($!)
echo "Pakta: http://127.0.0.1:${PORT:-8000}/  (demo accounts are listed on the login page; Ctrl-C stops)"
# Either process ending ends both: a server without its worker would accept work it never does.
status=0
wait -n "${pids[@]}" || status=$?
exit "$status"

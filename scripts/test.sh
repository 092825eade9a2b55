#!/usr/bin/env bash
# The whole test suite: what `make test` runs, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
make --no-print-directory install-dev
make --no-print-directory install-nlp
echo "== lint, types, migrations"
# A lint failure fails the run, but only after the tests have run, so one run shows everything.
lint_status=0
make --no-print-directory lint || lint_status=$?
echo "== fast tier on SQLite"
.venv/bin/pytest -m "not slow" -n 2 -q -p no:cacheprovider
echo "== fast tier on PostgreSQL"
DATABASE_URL="${PG_URL:-postgresql://postgres:postgres@127.0.0.1:5432/kizuna}" \
  .venv/bin/pytest -m "not slow" -n 2 -q -p no:cacheprovider
echo "== slow sets, once"
set +e
.venv/bin/pytest -m slow -q -p no:cacheprovider
status=$?
set -e
# pytest exits 5 when no test was selected; that is not a failure of the suite.
if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
if [ "$lint_status" -ne 0 ]; then
  echo "lint, types or migrations failed (see above)" >&2
  exit "$lint_status"
fi

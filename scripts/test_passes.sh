#!/usr/bin/env bash
# The test suite on SQLite and, when JURU_TEST_DATABASE_URL is set, the database tests again on
# PostgreSQL. The two passes run side by side (most of each pass waits on a database, a browser
# or a worker, so together they take little longer than the slower one); each has its own data
# directory and Redis database so neither sees the other's files or keys.
set -uo pipefail

BIN="${BIN:-.venv/bin}"
DB_TESTS="${DB_TESTS:?the database test directories}"
DATA_DIR="${JURU_DATA_DIR:-$PWD/var}"

# The PostgreSQL pass uses the Redis database below the configured one (15 -> 14).
second_redis_url() {
  local url="$1"
  if [[ "$url" =~ ^(.*)/([0-9]+)$ ]] && (( BASH_REMATCH[2] > 0 )); then
    echo "${BASH_REMATCH[1]}/$(( BASH_REMATCH[2] - 1 ))"
  else
    echo "$url"
  fi
}

if [ -z "${JURU_TEST_DATABASE_URL:-}" ]; then
  "$BIN/pytest" -p no:cacheprovider
  status=$?
  echo "== PostgreSQL pass not run: set JURU_TEST_DATABASE_URL=postgresql://... to run the database tests there too"
  exit $status
fi

log="$(mktemp -t juru-postgres-pass.XXXXXX)"
echo "== the PostgreSQL pass ($JURU_TEST_DATABASE_URL) runs beside this one; its report follows at the end"
# shellcheck disable=SC2086  # DB_TESTS is a list of directories
JURU_DATABASE_URL="$JURU_TEST_DATABASE_URL" \
JURU_DATA_DIR="$DATA_DIR/postgres-pass" \
JURU_TEST_REDIS_URL="$(second_redis_url "${JURU_TEST_REDIS_URL:-}")" \
  "$BIN/pytest" -p no:cacheprovider -m "not browser" $DB_TESTS >"$log" 2>&1 &
postgres_pid=$!
trap 'kill "$postgres_pid" 2>/dev/null; rm -f "$log"' EXIT

"$BIN/pytest" -p no:cacheprovider
sqlite_status=$?

wait "$postgres_pid"
postgres_status=$?
echo "== again on PostgreSQL: $JURU_TEST_DATABASE_URL"
cat "$log"
echo "== SQLite pass exit status $sqlite_status, PostgreSQL pass exit status $postgres_status"
(( sqlite_status == 0 && postgres_status == 0 ))

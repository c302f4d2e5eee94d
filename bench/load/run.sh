#!/usr/bin/env bash
# Load test: wrk against gunicorn (2 workers) on loopback, on a 100,000-deal PostgreSQL
# database: the pipeline page as a manager, the deal list API with a token, and a
# django-ninja hello-world endpoint measured in the same run. Run by hand from anywhere;
# see "Load: wrk against gunicorn" in bench/README.md. Settings (environment):
#   LOAD_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/debrief_load
#   LOAD_DURATION      default 60s     LOAD_CONNECTIONS  default 64
#   LOAD_THREADS       default 2       LOAD_PORT         default 8099
#   LOAD_TIMEOUT       default 30s (a slower answer counts as an error)
#   LOAD_DEALS         default 100000 (loaded with `debrief demo` when the database has fewer)
#   LOAD_SETTINGS      default bench.load.settings (bench.load.settings_redis: the experiment
#                      with sessions and users read from Redis, bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/../.."

DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/debrief_load}
DURATION=${LOAD_DURATION:-60s}
CONNECTIONS=${LOAD_CONNECTIONS:-64}
THREADS=${LOAD_THREADS:-2}
PORT=${LOAD_PORT:-8099}
TIMEOUT=${LOAD_TIMEOUT:-30s}
DEALS=${LOAD_DEALS:-100000}
BASE="http://127.0.0.1:$PORT"
WORK=bench/var/load
mkdir -p "$WORK"
export DATABASE_URL DEBRIEF_VAR_DIR="$WORK/var" DJANGO_SETTINGS_MODULE=${LOAD_SETTINGS:-bench.load.settings}
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # for bench.load.settings
DEBRIEF=.venv/bin/debrief

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)." >&2; exit 1; }

# --- the database: 100,000 deals, loaded once -------------------------------------------------
name=${DATABASE_URL##*/}
if ! psql "$DATABASE_URL" -qAtc "SELECT 1" >/dev/null 2>&1; then
    psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$name\""
fi
"$DEBRIEF" migrate -v0
deals=$(psql "$DATABASE_URL" -qAtc "SELECT count(*) FROM pipeline_deal")
if [ "$deals" -lt "$DEALS" ]; then
    echo "Loading the demo organisation with $DEALS deals (a few minutes)…"
    [ "$deals" -eq 0 ] || { echo "$name has $deals deals: drop it or use another." >&2; exit 1; }
    "$DEBRIEF" demo --deals "$DEALS"
fi

# --- a manager's session and API token --------------------------------------------------------
read -r EMAIL PASSWORD TOKEN < <("$DEBRIEF" shell -c '
from debrief.demo import generate, words
from debrief.org.actions import create_api_token
from debrief.org.models import User
email = generate.demo_logins()["manager"]
_, raw = create_api_token(User.objects.get(email=email), None, "load bench")
print(email, words.PASSWORD, raw)' | tail -1)

# --- gunicorn, 2 workers, on loopback ---------------------------------------------------------
.venv/bin/python -m gunicorn debrief.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
    --no-control-socket --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null' EXIT
for _ in $(seq 120); do
    curl -fso /dev/null "$BASE/login/" && break
    sleep 0.5
done

JAR="$WORK/cookies.txt"
rm -f "$JAR"
curl -fso /dev/null -c "$JAR" "$BASE/login/"
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
curl -fso /dev/null -b "$JAR" -c "$JAR" -H "Referer: $BASE/login/" \
    --data-urlencode "username=$EMAIL" --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrfmiddlewaretoken=$CSRF" "$BASE/login/"
SESSION=$(awk '$6 == "sessionid" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "Could not sign in as $EMAIL." >&2; exit 1; }
# What a browser sends back: the session and the CSRF cookie (renewed at sign-in).
COOKIES="sessionid=$SESSION; csrftoken=$(awk '$6 == "csrftoken" {print $7}' "$JAR")"

# name|path|header
TARGETS=(
    "hello-world (ninja)|/bench/hello|X-Bench: 1"
    "signed-in floor /bench/me|/bench/me|Cookie: $COOKIES"
    "pipeline page /deals/ (manager)|/deals/|Cookie: $COOKIES"
    "deal list API ?limit=50 (manager)|/api/v1/deals?limit=50|Authorization: Bearer $TOKEN"
)
for target in "${TARGETS[@]}"; do
    IFS='|' read -r label path header <<<"$target"
    status=$(curl -so /dev/null -w '%{http_code}' -H "$header" "$BASE$path")
    [ "$status" = 200 ] || { echo "$label answers $status, not 200." >&2; exit 1; }
done

# --- wrk --------------------------------------------------------------------------------------
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A RPS P99 BAD
for target in "${TARGETS[@]}"; do
    IFS='|' read -r label path header <<<"$target"
    # A short warm-up with few connections (so no queue is left behind), so that each
    # worker has its database connection and caches before the measure.
    wrk -t1 -c2 -d5s -H "$header" "$BASE$path" >/dev/null
    out="$WORK/wrk-$(echo "$label" | tr -c 'a-z0-9' '-').txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency \
        -s bench/load/count_errors.lua \
        -H "$header" "$BASE$path" | tee "$out"
    RPS[$label]=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    P99[$label]=$(awk '$1 == "99%" {print $2}' "$out")
    socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")
    BAD[$label]=$(( $(awk '/^non-2xx:/ {print $2}' "$out") + ${socket:-0} ))
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

hello=${RPS["hello-world (ninja)"]}
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, gunicorn 2 workers, $(psql "$DATABASE_URL" -qAtc 'SELECT count(*) FROM pipeline_deal') deals"
printf '%-36s %10s %10s %8s %12s\n' "endpoint" "req/s" "p99" "errors" "vs hello"
failed=0
for target in "${TARGETS[@]}"; do
    IFS='|' read -r label _ _ <<<"$target"
    ratio=$(awk -v a="${RPS[$label]}" -v b="$hello" 'BEGIN {printf "%.1f%%", 100 * a / b}')
    printf '%-36s %10s %10s %8s %12s\n' "$label" "${RPS[$label]}" "${P99[$label]}" "${BAD[$label]}" "$ratio"
    [ "${BAD[$label]}" -eq 0 ] || failed=1
done
exit $failed

#!/usr/bin/env bash
# Ledgers of LEDGER_RUNS (default 100,000) finished runs, on SQLite and on PostgreSQL
# ($CUTTER_TEST_POSTGRES, default the local cluster scripts/postgres starts): the database's size
# per run; `cutter runs list` and `runs show` as whole processes, beside `cutter --version` (the
# JVM's start, which they pay too); every API call and dashboard page `cutter serve` answers for
# them, timed by curl against the warm server (REQUESTS per endpoint, default 20; goal: 50 ms);
# then `cutter ledger prune --keep-days 30` and the size after.
# Usage: bench/ledger-scale.sh (RUNS, LEDGER_RUNS, REQUESTS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; pidfile="$work/pids"
trap '[ -f "$pidfile" ] && while read -r p _; do kill "$p" 2>/dev/null || true; done < "$pidfile"; rm -rf "$work"' EXIT
n="${LEDGER_RUNS:-100000}"; requests="${REQUESTS:-20}"
source "$root/bench/lib.sh"
cp="$(classes)"
postgres="${CUTTER_TEST_POSTGRES:-postgresql://cutter:cutter@127.0.0.1:5432/postgres}"
command -v psql >/dev/null || { echo "needs psql: scripts/setup" >&2; exit 2; }
mkdir -p "$work/p"
printf 'project: app\nbuilds:\n  - id: unit\n    matrix: { n: [1, 2, 3, 4, 5, 6] }\n    run: "echo {n}"\n' > "$work/p/cutter.yaml"
cutter plan -f "$work/p/cutter.yaml" --version 1.0.0 --sha 0000000000000000000000000000000000000000 --json > "$work/plan.json"
export work

# get BENCH LABEL PATH [CURL ARGS…] — REQUESTS timed requests after 3 untimed ones; a row like measure's
get() {
  local bench="$1" label="$2" path="$3"; shift 3
  local times=() t code
  for i in $(seq $((requests + 3))); do
    read -r code t < <(curl -s -o "$work/.body" -w '%{http_code} %{time_total}\n' "$@" "http://127.0.0.1:$port$path")
    [ "$code" = 200 ] || { echo "GET $path answered $code: $(head -c 300 "$work/.body")" >&2; exit 1; }
    [ "$i" -gt 3 ] && times+=("$t")
  done
  local med min max
  med=$(median "${times[@]}"); min=$(printf '%s\n' "${times[@]}" | sort -g | head -1); max=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
  printf '%s\t%s\t%.4f\t%.4f\t%.4f\t%s\t%s\n' "$bench" "$label" "$med" "$min" "$max" 0 "$requests" >> "$BENCH_RESULTS"
  printf '  %-60s %7.1f ms  (min %.1f, max %.1f)\n' "$label" "$(echo "$med * 1000" | bc -l)" "$(echo "$min * 1000" | bc -l)" "$(echo "$max * 1000" | bc -l)"
}

for db in sqlite postgresql; do
  bench="ledger@$db"
  if [ "$db" = sqlite ]; then
    ledger="$work/ledger.db"
    size() { stat -c %s "$ledger"; }
  else
    base="${postgres%/*}"; ledger="$base/cutter_bench_scale"
    psql -q "$postgres" -c 'DROP DATABASE IF EXISTS cutter_bench_scale' -c 'CREATE DATABASE cutter_bench_scale' >/dev/null
    size() { psql -tA "$ledger" -c 'SELECT pg_database_size(current_database())'; }
  fi
  export ledger
  echo "$db ledger of $n runs:"
  t=$(now); middle=$("$java" -cp "$cp" FillLedger "$ledger" "$n" "$work/plan.json" 2>/dev/null); filled=$(echo "$(now) - $t" | bc -l)
  [ "$db" = postgresql ] && psql -q "$ledger" -c 'ANALYZE' >/dev/null
  bytes=$(size)
  version=$(cutter runs show "$middle" --ledger "$ledger" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["version"])')
  export middle version
  note "$bench" data "$n finished runs of 6 jobs each (plan, jobs, attempts, 2 artifacts, 10 log lines; a push effect and claim a version), filled in $(printf %.0f "$filled") s by JDBC batches"
  note "$bench" size "$(numfmt --to=iec "$bytes") for $n runs: $((bytes / n)) bytes a run"
  echo "  size: $(numfmt --to=iec "$bytes"), $((bytes / n)) bytes a run"
  measure "$bench" "cutter --version (the JVM's start alone)" 'cutter --version'
  measure "$bench" "cutter runs list" 'cutter runs list --ledger "$ledger"'
  measure "$bench" "cutter runs show RUN" 'cutter runs show "$middle" --ledger "$ledger"'

  token=$(cutter token create --role viewer --name bench --ledger "$ledger" 2>/dev/null)
  port=$(free_port)
  (cd "$work/p" && exec "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" serve --ledger "$ledger" --port "$port") > "$work/serve.log" 2>&1 &
  server=$!; echo "$server -" >> "$pidfile"
  until curl -sf "http://127.0.0.1:$port/api/openapi.json" >/dev/null; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }; sleep 0.2
  done
  curl -s -c "$work/cookies" -o /dev/null --data-urlencode "token=$token" "http://127.0.0.1:$port/login"
  auth=(-H "Authorization: Bearer $token")
  echo "  the server, $requests requests each:"
  get "$bench" "GET /api/runs (newest 50)" "/api/runs?limit=50" "${auth[@]}"
  get "$bench" "GET /api/runs?before=RUN (a page half-way back)" "/api/runs?before=$middle&limit=50" "${auth[@]}"
  get "$bench" "GET /api/runs?state=failed (filtered)" "/api/runs?state=failed&limit=50" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN" "/api/runs/$middle" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/jobs" "/api/runs/$middle/jobs" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/effects" "/api/runs/$middle/effects" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/artifacts" "/api/runs/$middle/artifacts" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/logs" "/api/runs/$middle/logs" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/plan" "/api/runs/$middle/plan" "${auth[@]}"
  get "$bench" "GET /api/runs/RUN/events (a finished run's whole stream)" "/api/runs/$middle/events" "${auth[@]}" -H "Accept: text/event-stream"
  get "$bench" "GET /api/projects" "/api/projects" "${auth[@]}"
  get "$bench" "GET /api/releases/app (its versions)" "/api/releases/app" "${auth[@]}"
  get "$bench" "GET /api/releases/app/VERSION (published where)" "/api/releases/app/$version" "${auth[@]}"
  get "$bench" "page / (the runs)" "/" -b "$work/cookies"
  get "$bench" "page /runs/RUN (the DAG, jobs, logs)" "/runs/$middle" -b "$work/cookies"
  get "$bench" "page /releases" "/releases" -b "$work/cookies"
  get "$bench" "page /releases/app/VERSION" "/releases/app/$version" -b "$work/cookies"
  note "$bench" server_peak_RSS "$(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$server/status")"
  kill "$server"; wait "$server" 2>/dev/null || true

  RUNS=1 measure "$bench" "cutter ledger prune --keep-days 30" 'cutter ledger prune --keep-days 30 --ledger "$ledger"'
  after=$(size)
  note "$bench" size_after_prune "$(numfmt --to=iec "$after"): $((after / n)) bytes a run (logs of runs ended more than 30 days ago dropped$([ "$db" = postgresql ] && echo '; PostgreSQL keeps the freed pages for reuse'))"
  echo "  after prune: $(numfmt --to=iec "$after")"
  [ "$db" = postgresql ] && psql -q "$postgres" -c 'DROP DATABASE cutter_bench_scale' >/dev/null
done

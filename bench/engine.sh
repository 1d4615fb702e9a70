#!/usr/bin/env bash
# Engine overhead: a release of ENGINE_JOBS (default 1000) build jobs whose command is `true`
# (a matrix), recorded in the SQLite ledger, at --parallel = the number of cores. The overhead per
# job is (release wall time - the time the same number of `sh -c true` take, divided among the
# cores) / jobs; and the same with the JVM start and planning (a `cutter plan` of the spec) taken
# off as well. Usage: bench/engine.sh (RUNS, ENGINE_JOBS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
n="${ENGINE_JOBS:-1000}"; bench="${ENGINE_BENCH:-engine}"
source "$root/bench/lib.sh"
cores=$(nproc)
mkdir -p "$work/p"
printf 'project: noop\nbuilds:\n  - id: noop\n    matrix: { n: [%s] }\n    run: "true"\n' "$(seq -s, 1 "$n")" > "$work/p/cutter.yaml"
export work n
echo "engine: $n no-op jobs on $cores cores:"
note "$bench" data "$n build jobs of \`true\` (a matrix), --parallel $cores, the SQLite ledger"
measure "$bench" "$n × sh -c true, one after another" 'for i in $(seq "$n"); do sh -c true; done'
t_true=$LAST
measure "$bench" "cutter plan (JVM start, load, plan)" 'cd "$work/p" && cutter plan --version 1.0.0 --sha 0000000000000000000000000000000000000000 > /dev/null'
t_plan=$LAST
prepare() { rm -rf "$work/p/.cutter"; }
measure "$bench" "cutter release ($n jobs)" 'cd "$work/p" && CI=1 cutter release --version 1.0.0 --sha 0000000000000000000000000000000000000000 > /dev/null'
prepare() { :; }
t_release=$LAST
per_job=$(echo "($t_release - $t_true / $cores) / $n * 1000" | bc -l)
per_job_engine=$(echo "($t_release - $t_plan - $t_true / $cores) / $n * 1000" | bc -l)
printf '  overhead per job: %.2f ms; without the JVM start and planning: %.2f ms\n' "$per_job" "$per_job_engine"
note "$bench" per_job_ms "$(printf %.2f "$per_job")"
note "$bench" per_job_engine_ms "$(printf %.2f "$per_job_engine")"

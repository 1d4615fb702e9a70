#!/usr/bin/env bash
# Plans of PLAN_JOBS (default 100,000, execution.max-jobs' default) build jobs, one matrix: the time
# and peak RSS of `cutter plan --json`; `cutter emit gitlab` and `emit github` of it (the run
# recorded in a SQLite ledger), the pipelines' size and job counts beside the engines' documented
# limits; then the engine's overhead per no-op job at ENGINE_JOBS (default 10,000) with
# bench/engine.sh. Usage: bench/plan-scale.sh (RUNS, PLAN_JOBS, ENGINE_JOBS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
n="${PLAN_JOBS:-100000}"
source "$root/bench/lib.sh"
shards=$((n / 100))
printf 'project: big\nbuilds:\n  - id: unit\n    matrix: { component: [%s], shard: [%s] }\n    run: "make -C {component} shard={shard}"\n' \
  "$(seq -s, 1 100)" "$(seq -s, 1 "$shards")" > "$work/cutter.yaml"
export work
bench="plan@$n"
sha=0000000000000000000000000000000000000000; export sha
echo "plan of $n jobs:"
note "$bench" data "one build entry whose matrix (100 components × $shards shards) makes $n jobs"
measure "$bench" "cutter plan --json ($n jobs)" 'cutter plan -f "$work/cutter.yaml" --version 1.0.0 --sha $sha --json > "$work/plan.json"'
note "$bench" plan_json "$(numfmt --to=iec "$(stat -c %s "$work/plan.json")")"
prepare() { rm -f "$work"/ledger.db*; }
RUNS=1 measure "$bench" "cutter emit gitlab ($n jobs, run recorded in SQLite)" 'cutter emit gitlab -f "$work/cutter.yaml" --version 1.0.0 --sha $sha --artifacts 127.0.0.1:5000/artifacts --ledger "$work/ledger.db" -o "$work/gitlab.yml" >/dev/null'
RUNS=1 measure "$bench" "cutter emit github ($n jobs, run recorded in SQLite)" 'cutter emit github -f "$work/cutter.yaml" --version 1.0.0 --sha $sha --artifacts 127.0.0.1:5000/artifacts --ledger "$work/ledger.db" -o "$work/github.yml" >/dev/null'
prepare() { :; }
gitlab_jobs=$(grep -c '^  script:' "$work/gitlab.yml")
read -r github_jobs github_cells github_max < <(python3 - "$work/github.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
jobs = re.split(r"\n  (?=[A-Za-z0-9_-]+:\n)", text.split("\njobs:\n", 1)[1])
cells = [len(re.findall(r"^\s+(?:- )?job: ", j, re.M)) for j in jobs]
print(len(jobs), sum(cells), max(cells))
PY
)
note "$bench" gitlab_pipeline "$(numfmt --to=iec "$(stat -c %s "$work/gitlab.yml")"), $gitlab_jobs jobs in one child pipeline; GitLab refuses a pipeline above the instance's ci_pipeline_size (Maximum number of jobs in a single pipeline, set per plan on GitLab.com) and a configuration above its YAML size limits (max_yaml_size_bytes)"
note "$bench" github_workflow "$(numfmt --to=iec "$(stat -c %s "$work/github.yml")"), $github_jobs jobs holding $github_cells matrix cells, at most $github_max a job; GitHub documents at most 256 jobs a matrix generates per workflow run"
echo "  gitlab: $gitlab_jobs jobs, $(numfmt --to=iec "$(stat -c %s "$work/gitlab.yml")"); github: $github_jobs jobs, $github_cells cells (≤ $github_max a job), $(numfmt --to=iec "$(stat -c %s "$work/github.yml")")"
RUNS=1 ENGINE_BENCH="engine@${ENGINE_JOBS:=10000}" ENGINE_JOBS="$ENGINE_JOBS" "$root/bench/engine.sh" # once: 2 cores, and each run takes minutes

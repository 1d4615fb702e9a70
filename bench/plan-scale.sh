#!/usr/bin/env bash
# Plans of PLAN_JOBS (default 100,000, execution.max-jobs' default) build jobs, one matrix: the time
# and peak RSS of `cutter plan --json`; `cutter emit gitlab` and `emit github` of it (the run
# recorded in a SQLite ledger), the pipelines' size and job counts beside the engines' documented
# limits; then the engine's overhead per no-op job at ENGINE_JOBS (default 10,000; 0: none) with
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
prepare() { rm -f "$work"/ledger.db* "$work"/gitlab*.yml; }
RUNS=1 measure "$bench" "cutter emit gitlab ($n jobs, run recorded in SQLite)" 'cutter emit gitlab -f "$work/cutter.yaml" --version 1.0.0 --sha $sha --artifacts 127.0.0.1:5000/artifacts --ledger "$work/ledger.db" -o "$work/gitlab.yml" >/dev/null'
prepare() { rm -f "$work"/ledger.db*; }
RUNS=1 measure "$bench" "cutter emit github --matrix ($n jobs, run recorded in SQLite)" 'cutter emit github --matrix -f "$work/cutter.yaml" --version 1.0.0 --sha $sha --artifacts 127.0.0.1:5000/artifacts --ledger "$work/ledger.db" > "$work/github.json"'
prepare() { :; }
cutter emit github -f "$work/cutter.yaml" -o "$work/workflow.yml" 2>/dev/null
# every file against the engines' limits (docs/scale-out.md cites them): jobs, needs and bytes a GitLab pipeline, cells and output a GitHub run
read -r gitlab_files gitlab_jobs gitlab_max_jobs gitlab_max_bytes gitlab_max_needs github_batches github_cells github_max_cells github_output workflow_bytes < <(python3 - "$work" <<'PY'
import glob, json, os, re, sys
work = sys.argv[1]
parts = sorted(glob.glob(os.path.join(work, "gitlab-part-*.yml"))) or [os.path.join(work, "gitlab.yml")]
jobs = []; needs = 0
for part in parts:
    text = open(part).read()
    jobs.append(len(re.findall(r"^  script:", text, re.M)))
    # a job's needs: the "  - " lines between its "  needs:" and its next key
    for listed in re.findall(r"^  needs:\n((?:  - .*\n)*)", text, re.M):
        needs = max(needs, listed.count("\n"))
matrix = json.load(open(os.path.join(work, "github.json")))
cells = [len(p["include"]) for p in matrix["matrix"]]
output = len(open(os.path.join(work, "github.json")).read().strip()) * 2
print(len(parts), sum(jobs), max(jobs), max(os.path.getsize(p) for p in parts), needs, matrix["batches"], sum(cells), max(cells), output,
      os.path.getsize(os.path.join(work, "workflow.yml")))
PY
)
note "$bench" gitlab_pipeline "$gitlab_jobs jobs in $gitlab_files child pipelines of at most $gitlab_max_jobs jobs, $(numfmt --to=iec "$gitlab_max_bytes") and $gitlab_max_needs needs a job, run one after another by $(numfmt --to=iec "$(stat -c %s "$work/gitlab.yml")") of gitlab.yml (GitLab.com's Free tier: 500 jobs a pipeline; 50 needs; a file of about 200 KB may reach max_yaml_size_bytes)"
note "$bench" github_workflow "$github_batches batches, one workflow run each: the first holds $github_cells cells, at most $github_max_cells a matrix job, in $(numfmt --to=iec "$github_output") of matrix output counted in UTF-16 (GitHub: 256 a matrix, 1 MB of outputs a job); the workflow is $(numfmt --to=iec "$workflow_bytes") (GitHub: 500 KB)"
echo "  gitlab: $gitlab_jobs jobs in $gitlab_files pipelines (≤ $gitlab_max_jobs jobs, ≤ $gitlab_max_bytes bytes, ≤ $gitlab_max_needs needs); github: $github_batches batches, the first $github_cells cells (≤ $github_max_cells a matrix), $github_output bytes of output"
note "$bench" load_average "$(cut -d' ' -f1-3 /proc/loadavg) at the end"
if [ "${ENGINE_JOBS:=10000}" -gt 0 ]; then # ENGINE_JOBS=0: the plan alone
  RUNS=1 ENGINE_BENCH="engine@$ENGINE_JOBS" ENGINE_JOBS="$ENGINE_JOBS" "$root/bench/engine.sh" # once: 2 cores, and each run takes minutes
fi

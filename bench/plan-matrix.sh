#!/usr/bin/env bash
# Plans a release whose matrix makes 10,000 build jobs (plus 2,000 image jobs, their indexes and
# pushes) and reports the median wall time of 5 runs and the peak RSS. Usage: bench/plan-matrix.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$root/cutter" --version >/dev/null   # builds the jar once, outside the measurement
python3 - "$work/cutter.yaml" <<'PY'
import sys
components = ", ".join(f"c{i:03d}" for i in range(100))
shards = ", ".join(f"s{i:02d}" for i in range(50))
open(sys.argv[1], "w").write(f"""project: bench
registries:
  local: {{ layout: oci }}
builds:
  - id: unit
    matrix:
      component: [{components}]
      shard: [{shards}]
    platforms: [linux/amd64, linux/arm64]
    run: make -C {{component}} shard={{shard}} GOARCH={{platform.arch}}
    outputs: [ "out/{{component}}/{{shard}}/{{platform.arch}}/bin" ]
images:
  - id: app
    matrix:
      component: [{components}]
      variant: [a, b, c, d, e, f, g, h, i, j]
    platforms: [linux/amd64, linux/arm64]
    files: {{ /bin/app: "out/{{component}}/s00/{{platform.arch}}/bin" }}
    push: "local/app-{{component}}"
    tags: [ "{{version}}-{{variant}}", "latest-{{variant}}" ]
""")
PY
java_home="$("$root/scripts/find-jdk")"
times=()
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$java_home/bin/java" -jar "$root/target/cutter.jar" \
    plan -f "$work/cutter.yaml" --version 1.0.0 --sha 0000000000000000000000000000000000000000 --json > "$work/plan.json"
  times+=("$(cat "$work/time")")
done
jobs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['jobs']))" "$work/plan.json")
printf '%s\n' "${times[@]}" | sort -n | awk -v jobs="$jobs" -v runs="$runs" '
  { t[NR]=$1; if ($2>rss) rss=$2 }
  END { printf "plan of %d jobs: median %.2f s over %d runs (min %.2f, max %.2f), peak RSS %.0f MiB\n",
        jobs, t[int((NR+1)/2)], runs, t[1], t[NR], rss/1024 }'

#!/usr/bin/env bash
# Plans a release whose matrix makes 10,000 build jobs (plus 2,000 image jobs, their indexes and
# pushes), a whole `cutter plan --json` process. Usage: bench/plan-matrix.sh (RUNS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
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
export work
cutter plan -f "$work/cutter.yaml" --version 1.0.0 --sha 0000000000000000000000000000000000000000 --json > "$work/plan.json"
jobs=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['jobs']))" "$work/plan.json")
echo "plan of a matrix of $jobs jobs:"
note plan data "a spec whose matrices make $jobs jobs (10,000 builds, 2,000 platform images, their indexes and pushes)"
measure plan "cutter plan --json ($jobs jobs)" 'cutter plan -f "$work/cutter.yaml" --version 1.0.0 --sha 0000000000000000000000000000000000000000 --json > "$work/plan.json"'

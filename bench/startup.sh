#!/usr/bin/env bash
# Cutter's start, from the runtime a release ships (packaging/runtime.sh: jlink, the class-data
# archive, the launcher's flags) and as a plain jar on the JDK, against `java -version` of the
# same JDK: hyperfine, whole processes, warm file cache. Leaves the runtime in $CUTTER_HOME for
# the other benchmarks (bench/run exports it).
# Usage: bench/startup.sh (RUNS from the environment; hyperfine makes at least 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
source "$root/bench/lib.sh"
command -v hyperfine >/dev/null || { echo "needs hyperfine: scripts/setup" >&2; exit 2; }
release_runtime; home="$CUTTER_HOME"
spec="$root/examples/km/cutter.yaml"
runs=$(( RUNS > 10 ? RUNS : 10 ))

# hyperfine_row BENCH LABEL COMMAND… — one hyperfine measurement as a results line; the peak RSS
# from one more run under GNU time
hyperfine_row() {
  local bench="$1" label="$2"; shift 2
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/h.json" --output=pipe "$*" >/dev/null 2>&1 \
    || { echo "failed: $*" >&2; "$@" >&2 || true; exit 1; }
  /usr/bin/time -f "%M" -o "$work/.rss" "$@" >/dev/null 2>&1
  python3 - "$work/h.json" "$bench" "$label" "$(tail -1 "$work/.rss")" "$runs" >> "$BENCH_RESULTS" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
print("\t".join([sys.argv[2], sys.argv[3], f"{statistics.median(times):.4f}", f"{min(times):.4f}", f"{max(times):.4f}", sys.argv[4], sys.argv[5]]))
PY
  tail -1 "$BENCH_RESULTS" | awk -F'\t' '{printf "  %-52s %8.3f s  (min %.3f, max %.3f)\n", $2, $3, $4, $5}'
}

echo "startup:"
archives="class-data archive $(du -sh "$home/lib/cutter.jsa" | cut -f1)"
[ -f "$home/lib/cutter-version.jsa" ] && archives="AOT caches: a plan's $(du -sh "$home/lib/cutter.jsa" | cut -f1), --version's $(du -sh "$home/lib/cutter-version.jsa" | cut -f1), repo's $(du -sh "$home/lib/cutter-repo.jsa" | cut -f1), a release's $(du -sh "$home/lib/cutter-release.jsa" | cut -f1)"
note startup data "the release runtime (jlink, $(du -sh "$home/runtime" | cut -f1); $archives) and target/cutter.jar on the JDK; \`plan\` of examples/km"
hyperfine_row startup "java -version" "$java" -version
hyperfine_row startup "cutter --version (runtime)" "$home/bin/cutter" --version
hyperfine_row startup "cutter --version (jar on the JDK)" "$java" -jar "$jar" --version
hyperfine_row startup "cutter plan (runtime)" "$home/bin/cutter" plan -f "$spec" --version 0.2.0
hyperfine_row startup "cutter plan (jar on the JDK)" "$java" -jar "$jar" plan -f "$spec" --version 0.2.0

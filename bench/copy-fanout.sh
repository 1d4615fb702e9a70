#!/usr/bin/env bash
# Fan-out of 8 two-platform images to 3 registries against a sequential loop of
# `skopeo copy --all`, on the same images and the same kind of registries (Debian's
# docker-registry on loopback, fresh for each tool), then a no-change re-run of each. Cutter runs
# two ways: `cutter copy SRC DST DST DST` once per image (a process each), and
# `cutter copy --batch FILE` (every image in one process, as a release's replication runs).
# Prints wall times and ratios. Usage: bench/copy-fanout.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
images=8; layers=3; layer_mib=8
work="$(mktemp -d)"
stop() { [ -f "$1" ] && while read -r p d; do kill "$p" 2>/dev/null || true; rm -rf "$d"; done < "$1"; rm -f "$1"; }
cleanup() { stop "$work/run.pids"; stop "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT
command -v skopeo >/dev/null && command -v docker-registry >/dev/null || { echo "needs skopeo and docker-registry: scripts/setup" >&2; exit 2; }
"$root/cutter" --version >/dev/null
java="$("$root/scripts/find-jdk")/bin/java"
cutter() { "$java" --enable-native-access=ALL-UNNAMED -jar "$root/target/cutter.jar" "$@"; }

registry() { # starts a registry, prints its address; its pid goes to ${pidfile:-$work/pids}
  local port dir
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  dir="$work/reg-$port"; mkdir -p "$dir"
  printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%s }\n' "$dir/data" "$port" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo "$! $dir" >> "${pidfile:-$work/pids}"
  until curl -sf "http://127.0.0.1:$port/v2/" >/dev/null; do sleep 0.05; done
  echo "127.0.0.1:$port"
}

now() { date +%s.%N; }

# the images: random layers, two platforms each, pushed by Cutter to the source registry
src=$(registry)
proj="$work/images"; mkdir -p "$proj"
{
  echo "project: bench"
  echo "vars: { SRC: \"$src\" }"
  echo "registries: { src: { url: \"{vars.SRC}\" } }"
  echo "builds:"
  echo "  - id: blobs"
  echo "    matrix: { image: [$(seq -s, 1 $images)] }"
  echo "    platforms: [linux/amd64, linux/arm64]"
  echo "    run: mkdir -p data/{image}/{platform.arch} && for l in \$(seq $layers); do head -c ${layer_mib}M /dev/urandom > data/{image}/{platform.arch}/l\$l; done"
  echo "    outputs: [$(for l in $(seq $layers); do printf '"data/{image}/{platform.arch}/l%s",' "$l"; done | sed 's/,$//')]"
  echo "images:"
  echo "  - id: img"
  echo "    matrix: { image: [$(seq -s, 1 $images)] }"
  echo "    platforms: [linux/amd64, linux/arm64]"
  echo "    files: {$(for l in $(seq $layers); do printf ' /l%s: "data/{image}/{platform.arch}/l%s",' "$l" "$l"; done | sed 's/,$//') }"
  echo "    push: \"src/bench/img{image}\""
  echo "    tags: [ \"{version}\" ]"
} > "$proj/cutter.yaml"
(cd "$proj" && CI=1 cutter release --version 1.0.0 --sha 0000000000000000000000000000000000000000 >/dev/null)
total_mib=$((images * 2 * layers * layer_mib))
echo "data: $images images x 2 platforms x $layers layers x $layer_mib MiB = $total_mib MiB, to 3 registries"

skopeo_loop() { # a sequential loop, one copy per image and target
  for i in $(seq $images); do for d in "$@"; do
    skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false "docker://$src/bench/img$i:1.0.0" "docker://$d/bench/img$i:1.0.0"
  done; done
}
cutter_fanout() { # one fan-out per image: the source read once
  for i in $(seq $images); do
    cutter copy "$src/bench/img$i:1.0.0" $(for d in "$@"; do printf '%s ' "$d/bench/img$i:1.0.0"; done) >/dev/null
  done
}
cutter_batch() { # every image in one process
  for i in $(seq $images); do
    echo "$src/bench/img$i:1.0.0 $(for d in "$@"; do printf '%s ' "$d/bench/img$i:1.0.0"; done)"
  done > "$work/batch.txt"
  cutter copy --batch "$work/batch.txt" >/dev/null
}
timed() { local t; t=$(now); "$@"; echo "$(now) - $t" | bc; }

declare -a sk cu cb skn cun cbn
for run in $(seq "$runs"); do
  pidfile="$work/run.pids" # this run's targets, stopped at its end
  s1=$(registry); s2=$(registry); s3=$(registry)
  c1=$(registry); c2=$(registry); c3=$(registry)
  b1=$(registry); b2=$(registry); b3=$(registry)
  sk+=("$(timed skopeo_loop $s1 $s2 $s3)")
  cu+=("$(timed cutter_fanout $c1 $c2 $c3)")
  cb+=("$(timed cutter_batch $b1 $b2 $b3)")
  skn+=("$(timed skopeo_loop $s1 $s2 $s3)")
  cun+=("$(timed cutter_fanout $c1 $c2 $c3)")
  cbn+=("$(timed cutter_batch $b1 $b2 $b3)")
  for i in $(seq $images); do # same digests in every target
    a=$(skopeo inspect --tls-verify=false --raw "docker://$s3/bench/img$i:1.0.0" | sha256sum)
    for t in $c3 $b1; do
      b=$(skopeo inspect --tls-verify=false --raw "docker://$t/bench/img$i:1.0.0" | sha256sum)
      [ "$a" = "$b" ] || { echo "digest mismatch for img$i in $t" >&2; exit 1; }
    done
  done
  stop "$work/run.pids"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${sk[@]}"); m2=$(median "${cu[@]}"); m3=$(median "${cb[@]}")
m4=$(median "${skn[@]}"); m5=$(median "${cun[@]}"); m6=$(median "${cbn[@]}")
r() { echo "$1 / $2" | bc -l; }
printf 'fresh targets:    skopeo loop %.2f s | cutter copy per image %.2f s (%.2f) | cutter copy --batch %.2f s (%.2f)\n' \
  "$m1" "$m2" "$(r "$m2" "$m1")" "$m3" "$(r "$m3" "$m1")"
printf 'no-change re-run: skopeo loop %.2f s | cutter copy per image %.2f s (%.2f) | cutter copy --batch %.2f s (%.2f)\n' \
  "$m4" "$m5" "$(r "$m5" "$m4")" "$m6" "$(r "$m6" "$m4")"
echo "(medians of $runs runs; skopeo $(skopeo --version | awk '{print $3}'), $(docker-registry --version | awk '{print $2, $3}'))"

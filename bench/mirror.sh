#!/usr/bin/env bash
# A mirror: MIRROR_IMAGES images (default 200) in a source registry copied to 3 target registries,
# as a mirror list is (bench/mirror-images.py: 3 platforms each, every platform a base layer shared
# with a quarter of the images and a layer of its own). `cutter copy --batch FILE` against
# `skopeo sync` (one process per target, the three at once) and a parallel skopeo loop
# (`skopeo copy --all`, SKOPEO_JOBS at once through xargs -P); first copy into fresh registries,
# then the no-change re-run of each. The floor is the registries' own write rate: every distinct
# layer and config uploaded once to each registry by curl (one POST for each upload session, then
# one PUT with the bytes, FLOOR_JOBS at once, on kept-alive connections), which is what a mirror
# must write at the least when it mounts blobs within a registry. Every target is checked to hold
# the source's digests. Bench ids: mirror@N.
# Usage: bench/mirror.sh (RUNS, MIRROR_IMAGES, SKOPEO_JOBS, FLOOR_JOBS from the environment; MIRROR_TOOLS
# narrows the run to some of: floor sync parallel cutter)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
images="${MIRROR_IMAGES:-200}"; tools="${MIRROR_TOOLS:-floor sync parallel cutter}"; skopeo_jobs="${SKOPEO_JOBS:-6}"; floor_jobs="${FLOOR_JOBS:-12}"
bench="mirror@$images"
source "$root/bench/lib.sh"
cleanup() { stop_registries "$work/run.pids"; stop_registries "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT
command -v skopeo >/dev/null && command -v docker-registry >/dev/null && command -v curl >/dev/null \
  || { echo "needs skopeo, docker-registry and curl: scripts/setup" >&2; exit 2; }

# the images, in a layout, then in the source registry (untimed)
layout="$work/layout"
python3 "$root/bench/mirror-images.py" "$layout" "$images"
src=$(registry)
seq "$images" | xargs -P 4 -I{} skopeo copy -q --all --dest-tls-verify=false "oci:$layout:img{}" "docker://$src/bench/img{}:1.0.0"
parts=$(wc -l < "$layout/blobs.txt")
part_mib=$(python3 -c "import os,sys; print(round(sum(os.path.getsize(os.path.join(sys.argv[1], 'blobs', 'sha256', l.strip()[7:])) for l in open(sys.argv[1] + '/blobs.txt')) / 1048576))" "$layout")
echo "mirror: $images images x 3 platforms ($parts distinct layers and configs, $part_mib MiB) to 3 registries"
note "$bench" data "$images images of 3 platforms (linux/amd64, linux/arm64, linux/arm/v7), each platform a 2 MiB base layer shared with a quarter of the images and a 512 KiB layer of its own; $parts distinct layers and configs ($part_mib MiB) to each of 3 registries"
note "$bench" skopeo_jobs "$skopeo_jobs"
note "$bench" floor_jobs "$floor_jobs"

export src images work skopeo_jobs floor_jobs layout parts
# each command gets its three targets as arguments
skopeo_sync() {
  { echo "$src:"; echo "  tls-verify: false"; echo "  images:"; for i in $(seq "$images"); do echo "    bench/img$i: [\"1.0.0\"]"; done; } > "$work/sync.yml"
  local pids=()
  for d in "$@"; do skopeo sync --all --src yaml --dest docker --dest-tls-verify=false "$work/sync.yml" "$d/bench" >/dev/null 2>&1 & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
}
skopeo_one() { skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false "docker://$src/bench/img$1:1.0.0" "docker://$2/bench/img$1:1.0.0"; }
skopeo_parallel() { for i in $(seq "$images"); do for d in "$@"; do echo "$i $d"; done; done | xargs -P "$skopeo_jobs" -n 2 bash -c 'skopeo_one "$0" "$1"'; }
cutter_batch() {
  for i in $(seq "$images"); do echo "$src/bench/img$i:1.0.0 $(for d in "$@"; do printf '%s ' "$d/bench/img$i:1.0.0"; done)"; done > "$work/batch.txt"
  cutter copy --batch "$work/batch.txt" >/dev/null
}
# the floor: upload sessions opened (one curl per registry), then every part PUT into them (one curl)
curl_floor() {
  : > "$work/put.cfg"
  for d in "$@"; do
    for _ in $(seq "$parts"); do echo "url = \"http://$d/v2/bench/floor/blobs/uploads/\""; done > "$work/post.cfg"
    curl -sS --parallel --parallel-max "$floor_jobs" -K "$work/post.cfg" -X POST -d '' -o /dev/null -w '%header{location}\n' > "$work/sessions"
    paste -d' ' "$work/sessions" "$layout/blobs.txt" | while read -r location digest; do
      echo "url = \"$location&digest=$digest\""; echo "upload-file = \"$layout/blobs/sha256/${digest#sha256:}\""
    done >> "$work/put.cfg"
  done
  curl -sS --parallel --parallel-max "$floor_jobs" -K "$work/put.cfg" -o /dev/null -w '%{http_code}\n' > "$work/codes"
  [ "$(grep -c '^201$' "$work/codes")" -eq "$((parts * $#))" ] || { echo "the floor's uploads did not all succeed:" >&2; sort "$work/codes" | uniq -c >&2; exit 1; }
}
export -f skopeo_sync skopeo_one skopeo_parallel cutter_batch curl_floor

# each command and run gets three fresh registries: `prepare` starts them (untimed) and stops the last ones
targets() { stop_registries "$work/run.pids"; pidfile="$work/run.pids"; T="$(registry) $(registry) $(registry)"; pidfile="$work/pids"; echo "$T" > "$work/targets"; }
head_digest() { curl -sfI -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$1/v2/bench/img$2/manifests/1.0.0" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p'; }
check() { # every image in every target at the source's digest
  for i in $(seq "$images"); do
    a=$(head_digest "$src" "$i")
    for t in $(cat "$work/targets"); do
      [ "$a" = "$(head_digest "$t" "$i")" ] || { echo "img$i in $t is not at $a" >&2; exit 1; }
    done
  done
}
run_fresh() { local label="$1" fn="$2"; prepare() { targets; }; measure "$bench" "$label" "$fn \$(cat $work/targets)"; }
run_again() { # the same targets, already holding everything
  local label="$1" fn="$2"; prepare() { :; }; targets; bash -c "$fn \$(cat $work/targets)"; measure "$bench" "$label" "$fn \$(cat $work/targets)"; check
}
has() { case " $tools " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
echo "fresh targets:"
if has floor; then run_fresh "floor: curl uploads of every part to each registry" curl_floor; floor="$LAST"; fi
if has sync; then run_fresh "skopeo sync, the 3 targets at once" skopeo_sync; check; fi
if has parallel; then run_fresh "skopeo copy --all, $skopeo_jobs in parallel" skopeo_parallel; check; fi
if has cutter; then run_fresh "cutter copy --batch" cutter_batch; check; cutter_fresh="$LAST"; fi
echo "no-change re-run:"
if has sync; then run_again "re-run: skopeo sync, the 3 targets at once" skopeo_sync; fi
if has parallel; then run_again "re-run: skopeo copy --all, $skopeo_jobs in parallel" skopeo_parallel; fi
if has cutter; then run_again "re-run: cutter copy --batch" cutter_batch; fi
if has floor && has cutter; then echo "cutter copy --batch / floor: $(echo "$cutter_fresh / $floor" | bc -l | xargs printf '%.2f')x"; fi

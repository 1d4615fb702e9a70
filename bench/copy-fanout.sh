#!/usr/bin/env bash
# Fan-out of IMAGES two-platform images (LAYERS random layers of LAYER_MIB each) to 3 registries,
# against `skopeo copy --all` in a sequential loop and in parallel (SKOPEO_JOBS at once), on the
# same images and the same kind of registries (Debian's docker-registry on loopback, fresh for
# each tool and run), then a no-change re-run of each. Cutter runs two ways: `cutter copy SRC DST
# DST DST` once per image (a process each) and `cutter copy --batch FILE` (every image in one
# process, as a release's replication runs). Two more images come from other tools, as images do
# in the field: one umoci made (OCI, no mediaType in its manifest) and one buildah built from a
# Dockerfile, each LAYERS layers of LAYER_MIB for linux/amd64, pushed to the source by skopeo and
# buildah. Every target is checked to hold the source's digests.
# Usage: bench/copy-fanout.sh (RUNS, IMAGES, LAYERS, LAYER_MIB, SKOPEO_JOBS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
images="${IMAGES:-8}"; layers="${LAYERS:-3}"; layer_mib="${LAYER_MIB:-8}"; skopeo_jobs="${SKOPEO_JOBS:-6}"
source "$root/bench/lib.sh"
cleanup() { stop_registries "$work/run.pids"; stop_registries "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT
command -v skopeo >/dev/null && command -v docker-registry >/dev/null || { echo "needs skopeo and docker-registry: scripts/setup" >&2; exit 2; }

# the images: random layers, two platforms each, pushed by Cutter to the source registry
src=$(registry)
proj="$work/images"; mkdir -p "$proj"
{
  echo "project: bench"
  echo "vars: { SRC: \"$src\" }"
  echo "registries: { src: { url: \"{vars.SRC}\" } }"
  echo "builds:"
  echo "  - id: blobs"
  echo "    matrix: { image: [$(seq -s, 1 "$images")] }"
  echo "    platforms: [linux/amd64, linux/arm64]"
  echo "    run: mkdir -p data/{image}/{platform.arch} && for l in \$(seq $layers); do head -c ${layer_mib}M /dev/urandom > data/{image}/{platform.arch}/l\$l; done"
  echo "    outputs: [$(for l in $(seq "$layers"); do printf '"data/{image}/{platform.arch}/l%s",' "$l"; done | sed 's/,$//')]"
  echo "images:"
  echo "  - id: img"
  echo "    matrix: { image: [$(seq -s, 1 "$images")] }"
  echo "    platforms: [linux/amd64, linux/arm64]"
  echo "    files: {$(for l in $(seq "$layers"); do printf ' /l%s: "data/{image}/{platform.arch}/l%s",' "$l" "$l"; done | sed 's/,$//') }"
  echo "    push: \"src/bench/img{image}\""
  echo "    tags: [ \"{version}\" ]"
} > "$proj/cutter.yaml"
(cd "$proj" && CI=1 cutter release --version 1.0.0 --sha 0000000000000000000000000000000000000000 >/dev/null)
# an image umoci makes, a layer per repack, and one buildah builds from a Dockerfile, a layer per COPY
command -v umoci >/dev/null && command -v buildah >/dev/null || { echo "needs umoci and buildah: scripts/setup" >&2; exit 2; }
umoci init --layout "$work/umoci"; umoci new --image "$work/umoci:1.0.0"
for l in $(seq "$layers"); do
  umoci unpack --image "$work/umoci:1.0.0" "$work/bundle" >/dev/null
  head -c "${layer_mib}M" /dev/urandom > "$work/bundle/rootfs/l$l"
  umoci repack --image "$work/umoci:1.0.0" "$work/bundle"; rm -rf "$work/bundle"
done
umoci config --image "$work/umoci:1.0.0" --architecture amd64 --os linux
skopeo copy -q --dest-tls-verify=false "oci:$work/umoci:1.0.0" "docker://$src/bench/umoci:1.0.0"
mkdir -p "$work/ctx"; printf 'FROM scratch\n' > "$work/ctx/Dockerfile"
for l in $(seq "$layers"); do head -c "${layer_mib}M" /dev/urandom > "$work/ctx/l$l"; printf 'COPY l%s /l%s\n' "$l" "$l" >> "$work/ctx/Dockerfile"; done
buildah_s=(buildah --root "$work/buildah" --runroot "$work/buildah-run" --storage-driver vfs)
"${buildah_s[@]}" build -q --isolation chroot --platform linux/amd64 --format oci --layers -t bench/buildah:1.0.0 "$work/ctx" >/dev/null
"${buildah_s[@]}" push -q --tls-verify=false bench/buildah:1.0.0 "docker://$src/bench/buildah:1.0.0"
rm -rf "$work/buildah" "$work/buildah-run" "$work/ctx"
names="$(seq -f 'img%g' "$images" | tr '\n' ' ')umoci buildah"
total_mib=$(((images * 2 + 2) * layers * layer_mib))
echo "copy fan-out: $images images x 2 platforms, one umoci and one buildah image, x $layers layers x $layer_mib MiB = $total_mib MiB, to 3 registries"
note copy data "$images two-platform images Cutter made, one image umoci made and one buildah built (linux/amd64), each platform $layers random layers of $layer_mib MiB ($total_mib MiB), to 3 registries"
note copy skopeo_jobs "$skopeo_jobs"

# the commands, as strings for measure (each gets its three targets as $T1 $T2 $T3)
export src names work skopeo_jobs
skopeo_one() { skopeo copy -q --all --src-tls-verify=false --dest-tls-verify=false "docker://$src/bench/$1:1.0.0" "docker://$2/bench/$1:1.0.0"; }
skopeo_loop() { for i in $names; do for d in "$@"; do skopeo_one "$i" "$d"; done; done; }
skopeo_parallel() { for i in $names; do for d in "$@"; do echo "$i $d"; done; done | xargs -P "$skopeo_jobs" -n 2 bash -c 'skopeo_one "$0" "$1"'; }
cutter_fanout() { for i in $names; do cutter copy "$src/bench/$i:1.0.0" $(for d in "$@"; do printf '%s ' "$d/bench/$i:1.0.0"; done) >/dev/null; done; }
cutter_batch() {
  for i in $names; do echo "$src/bench/$i:1.0.0 $(for d in "$@"; do printf '%s ' "$d/bench/$i:1.0.0"; done)"; done > "$work/batch-$1.txt"
  cutter copy --batch "$work/batch-$1.txt" >/dev/null
}
export -f skopeo_one skopeo_loop skopeo_parallel cutter_fanout cutter_batch

# each tool and run gets three fresh registries: `prepare` starts them (untimed) and stops the last ones
targets() { stop_registries "$work/run.pids"; pidfile="$work/run.pids"; T="$(registry) $(registry) $(registry)"; pidfile="$work/pids"; echo "$T" > "$work/targets"; }
check() { # same digests in every target as in the source
  for i in $names; do
    a=$(skopeo inspect --tls-verify=false --raw "docker://$src/bench/$i:1.0.0" | sha256sum)
    for t in $(cat "$work/targets"); do
      b=$(skopeo inspect --tls-verify=false --raw "docker://$t/bench/$i:1.0.0" | sha256sum)
      [ "$a" = "$b" ] || { echo "digest mismatch for $i in $t" >&2; exit 1; }
    done
  done
}
run_fresh() { local label="$1" fn="$2"; prepare() { targets; }; measure copy "$label" "$fn \$(cat $work/targets)"; check; }
run_again() { # the same targets, already holding everything
  local label="$1" fn="$2"; prepare() { :; }; targets; bash -c "$fn \$(cat $work/targets)"; measure copy "$label" "$fn \$(cat $work/targets)"; check
}
echo "fresh targets:"
run_fresh "skopeo copy --all, sequential loop" skopeo_loop
run_fresh "skopeo copy --all, $skopeo_jobs in parallel" skopeo_parallel
run_fresh "cutter copy, a process per image" cutter_fanout
run_fresh "cutter copy --batch" cutter_batch
echo "no-change re-run:"
run_again "re-run: skopeo copy --all, sequential loop" skopeo_loop
run_again "re-run: skopeo copy --all, $skopeo_jobs in parallel" skopeo_parallel
run_again "re-run: cutter copy, a process per image" cutter_fanout
run_again "re-run: cutter copy --batch" cutter_batch

#!/usr/bin/env bash
# A Dockerfile built and pushed: `cutter release` of an image with `dockerfile:` (buildah builds it,
# Cutter takes its OCI output, makes the index, pushes, reads the tags back) against the same
# Dockerfile through `buildah build` then `buildah push`, the way a CI script does it. The base
# is made offline by umoci from Debian's busybox-static and served by a loopback registry; the
# Dockerfile COPYs BUILD_FILES random files (BUILD_MIB in all) and has one RUN step. Each run of
# either starts from empty builder storage (the base pulled again) and pushes to a fresh registry.
# Each Cutter row says which Cutter it ran: the release runtime (packaging/runtime.sh, linked here if
# $CUTTER_HOME has none: jlink, the AOT cache of a release, the launcher's flags) or
# target/cutter.jar on the JDK.
# Usage: bench/dockerfile.sh (RUNS, BUILD_FILES, BUILD_MIB from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
files="${BUILD_FILES:-4}"; total="${BUILD_MIB:-64}"
source "$root/bench/lib.sh"
cleanup() { stop_registries "$work/run.pids"; stop_registries "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT
for tool in buildah umoci skopeo docker-registry busybox; do
  command -v "$tool" >/dev/null || { echo "needs $tool: scripts/setup" >&2; exit 2; }
done
release_runtime

# the base: busybox-static in an image umoci makes, pushed by skopeo
bases=$(registry)
umoci init --layout "$work/base"
umoci new --image "$work/base:1"
umoci unpack --image "$work/base:1" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/tmp"
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/busybox"
ln -s busybox "$work/bundle/rootfs/bin/sh"
umoci repack --image "$work/base:1" "$work/bundle"
umoci config --image "$work/base:1" --config.env PATH=/bin --architecture amd64 --os linux
skopeo copy -q --dest-tls-verify=false "oci:$work/base:1" "docker://$bases/bench/busybox:1"
base="$bases/bench/busybox:1"

# the context and its Dockerfile
mkdir -p "$work/project/ctx/data"
for i in $(seq "$files"); do head -c "$((total * 1024 / files))K" /dev/urandom > "$work/project/ctx/data/f$i"; done
cat > "$work/project/ctx/Dockerfile" <<DOCKERFILE
ARG BASE
FROM \${BASE}
COPY data/ /data/
RUN ["/bin/busybox", "sh", "-c", "ls -l /data > /data.txt"]
DOCKERFILE
cat > "$work/project/cutter.yaml" <<SPEC
project: bench-build
vars: { TARGET: "" }
registries: { t: { url: "{vars.TARGET}" } }
images:
  - id: built
    platforms: [linux/amd64]
    dockerfile: ctx/Dockerfile
    context: ctx
    builder: buildah
    args: { BASE: "$base" }
    push: t/bench/built
    tags: [ "{version}" ]
SPEC
echo "Dockerfile build and push: $files random files, $total MiB, on a busybox base (umoci), one RUN step"
note build data "a Dockerfile that COPYs $files random files ($total MiB) onto a busybox base umoci made and runs one RUN step, for linux/amd64; builder storage empty and the target registry fresh for each run"

export work base
buildah_both() {
  local s=(buildah --root "$work/storage" --runroot "$work/runroot" --storage-driver vfs)
  "${s[@]}" build -q --isolation chroot --platform linux/amd64 --format oci --timestamp 1767323045 --layers=false \
    --tls-verify=false --build-arg "BASE=$base" -f "$work/project/ctx/Dockerfile" -t bench/built:1.0.0 "$work/project/ctx" >/dev/null
  "${s[@]}" push -q --tls-verify=false bench/built:1.0.0 "docker://$1/bench/built:1.0.0"
}
cutter_release() { # cutter_release COMMAND TARGET: COMMAND is cutter (the jar) or cutter_runtime
  (cd "$work/project" && CI=1 SOURCE_DATE_EPOCH=1767323045 "$1" release --version 1.0.0 \
    --sha 0000000000000000000000000000000000000000 --var "TARGET=$2" >/dev/null)
}
export -f buildah_both cutter_release
fresh() { # untimed: empty storage, no ledger, a fresh target registry
  stop_registries "$work/run.pids"
  buildah --root "$work/storage" --runroot "$work/runroot" --storage-driver vfs rm -a >/dev/null 2>&1 || true
  rm -rf "$work/storage" "$work/runroot" "$work/project/.cutter"
  pidfile="$work/run.pids"; registry > "$work/target"; pidfile="$work/pids"
}
check() { skopeo inspect --tls-verify=false "docker://$(cat "$work/target")/bench/built:1.0.0" >/dev/null; }
prepare() { fresh; }
measure build "buildah build + buildah push" 'buildah_both "$(cat "$work/target")"'; check
peer="$LAST"
measure build "cutter release (runtime)" 'cutter_release cutter_runtime "$(cat "$work/target")"'; check
runtime="$LAST"
measure build "cutter release (jar on the JDK)" 'cutter_release cutter "$(cat "$work/target")"'; check
overhead() { echo "($1 / $peer - 1) * 100" | bc -l | xargs printf '%.0f'; }
note build overhead "Cutter's overhead over buildah build + push (buildah builds, Cutter makes the index, pushes, reads back): $(overhead "$runtime") % from the release runtime, $(overhead "$LAST") % as the jar on the JDK"

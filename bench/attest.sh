#!/usr/bin/env bash
# What attestations cost: `cutter release` of serverless-init's shape (two variants, linux/amd64 and
# linux/arm64, a binary of BIN_MIB random MiB per platform on a base pulled from a loopback registry,
# pushed and replicated to two more registries) with `attestations:` (CycloneDX and SPDX SBOMs per
# platform, signed provenance per index, cosign signatures of each index and manifest) and
# without, in the same run. The base is made offline by umoci from Debian's busybox-static with
# this machine's /var/lib/dpkg/status and os-release, so the SBOMs list a real package database.
# Each run starts with no ledger, no content store and fresh registries.
# Each pair of rows runs one Cutter: the release runtime (packaging/runtime.sh, linked here if
# $CUTTER_HOME has none: jlink, the AOT cache of a release, the launcher's flags), then the jar on
# the JDK.
# Usage: bench/attest.sh (RUNS, BIN_MIB from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
mib="${BIN_MIB:-48}"
source "$root/bench/lib.sh"
cleanup() { stop_registries "$work/run.pids"; stop_registries "$work/pids"; rm -rf "$work"; }
trap cleanup EXIT
for tool in umoci skopeo docker-registry busybox; do
  command -v "$tool" >/dev/null || { echo "needs $tool: scripts/setup" >&2; exit 2; }
done
release_runtime

# the bases: busybox-static, a dpkg database and os-release, for both platforms, pushed by skopeo
bases=$(registry)
umoci init --layout "$work/base"
umoci new --image "$work/base:1"
umoci unpack --image "$work/base:1" "$work/bundle" >/dev/null
mkdir -p "$work/bundle/rootfs/bin" "$work/bundle/rootfs/etc" "$work/bundle/rootfs/var/lib/dpkg"
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/busybox"
cp /var/lib/dpkg/status "$work/bundle/rootfs/var/lib/dpkg/status"
cp /etc/os-release "$work/bundle/rootfs/etc/os-release"
umoci repack --image "$work/base:1" "$work/bundle"
packages=$(grep -c '^Package:' /var/lib/dpkg/status)
for arch in amd64 arm64; do
  umoci config --image "$work/base:1" --tag "$arch" --config.env PATH=/bin --architecture "$arch" --os linux
  skopeo copy -q --dest-tls-verify=false "oci:$work/base:$arch" "docker://$bases/bench/base:$arch"
done

# the project: a binary per platform, the spec with and without attestations
mkdir -p "$work/project/dist/amd64" "$work/project/dist/arm64" "$work/project/keys"
for arch in amd64 arm64; do head -c "$((mib * 1024))K" /dev/urandom > "$work/project/dist/$arch/datadog-init"; done
cp "$root/examples/km/keys/release-key.asc" "$work/project/keys/release-key.asc"
spec() {
  cat <<SPEC
project: bench-attest
vars: { BUILD: "", ECR: "", GCR: "" }
registries:
  build: { url: "{vars.BUILD}" }
  ecr:   { url: "{vars.ECR}" }
  gcr:   { url: "{vars.GCR}" }
images:
  - id: serverless-init
    matrix:
      variant:
        standard: { suffix: "" }
        alpine:   { suffix: "-alpine" }
    platforms: [linux/amd64, linux/arm64]
    from: "$bases/bench/base:{platform.arch}"
    files: { /datadog-init: "dist/{platform.arch}/datadog-init" }
    entrypoint: [ /datadog-init ]
    labels: { org.opencontainers.image.version: "{version}", com.datadoghq.variant: "{variant}" }
    push: "build/ci/serverless-init"
    tags: [ "{version}{variant.suffix}", "latest{variant.suffix}" ]
replicate:
  - image: serverless-init
    to: [ "ecr/datadog/serverless-init", "gcr/datadoghq/serverless-init" ]
    concurrency: 2
SPEC
}
spec > "$work/project/plain.yaml"
{ spec; echo 'attestations: { key: "${file:keys/release-key.asc}" }'; } > "$work/project/attested.yaml"
echo "attestations: serverless-init's shape, 2 variants x 2 platforms, $mib MiB binary each, base with $packages dpkg packages"
note attest data "serverless-init's shape assembled on a local base: 2 variants × linux/amd64, linux/arm64, a $mib MiB binary per platform on a busybox base (umoci) carrying this machine's dpkg status ($packages packages), pushed and replicated to 2 more registries; with attestations: CycloneDX + SPDX per platform, signed provenance per index, cosign signatures of each index and manifest (Ed25519 key)"

export work
cutter_release() { # cutter_release COMMAND SPEC: COMMAND is cutter (the jar) or cutter_runtime
  (cd "$work/project" && CI=1 SOURCE_DATE_EPOCH=1767323045 "$1" release -f "$2" --version 1.0.0 \
    --sha 0000000000000000000000000000000000000000 --var "BUILD=$(sed -n 1p "$work/targets")" \
    --var "ECR=$(sed -n 2p "$work/targets")" --var "GCR=$(sed -n 3p "$work/targets")" >/dev/null)
}
export -f cutter_release
prepare() { # untimed: no ledger, no content store, fresh target registries
  stop_registries "$work/run.pids"
  rm -rf "$work/project/.cutter"
  pidfile="$work/run.pids"; { registry; registry; registry; } > "$work/targets"; pidfile="$work/pids"
}
check() { skopeo inspect --tls-verify=false "docker://$(sed -n 3p "$work/targets")/datadoghq/serverless-init:1.0.0-alpine" >/dev/null; }
overhead() { local r; r=$(echo "$2 / $1" | bc -l); printf '%.1f %% (%.3f×)' "$(echo "($r - 1) * 100" | bc -l)" "$r"; }
load="$(cut -d' ' -f1-3 /proc/loadavg)"
measure attest "cutter release without attestations (runtime)" 'cutter_release cutter_runtime plain.yaml'; check
runtime_plain="$LAST"
measure attest "cutter release with SBOMs, provenance, signatures (runtime)" 'cutter_release cutter_runtime attested.yaml'; check
runtime_attested="$LAST"
measure attest "cutter release without attestations (jar on the JDK)" 'cutter_release cutter plain.yaml'; check
plain="$LAST"
measure attest "cutter release with SBOMs, provenance, signatures (jar on the JDK)" 'cutter_release cutter attested.yaml'; check
skopeo inspect --tls-verify=false --raw "docker://$(sed -n 1p "$work/targets")/ci/serverless-init:1.0.0" > "$work/index.json"
note attest overhead "attestations' overhead: $(overhead "$runtime_plain" "$runtime_attested") from the release runtime, $(overhead "$plain" "$LAST") as the jar on the JDK (medians of $RUNS); load average before: $load"

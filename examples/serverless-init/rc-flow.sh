#!/usr/bin/env bash
# The serverless-init release-candidate flow, end to end, on five local registries standing in
# for the build registry, ECR, GCR, GAR and Docker Hub (Debian's docker-registry on loopback):
#   0. the bases the Dockerfiles start from, made offline from busybox-static (bases.yaml)
#   1. release serverless-init-1.7.8-rc1: built, pushed to the -dev repositories, replicated, checked
#   2. verify it later: every replica read back
#   3. promote it to 1.7.8: the same digests under 1.7.8, 1 and latest, nothing rebuilt
#   4. verify the promoted release
# Run from the repository root: examples/serverless-init/rc-flow.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v docker-registry >/dev/null || { echo "docker-registry is not installed; run scripts/setup" >&2; exit 2; }
work="$(mktemp -d)"
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
vars=()
names=(BUILD_REGISTRY ECR GCR GAR DOCKERHUB)
for i in 0 1 2 3 4; do
  port=$((15000 + RANDOM % 20000))
  mkdir -p "$work/r$i"
  printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%d }\n' \
    "$work/r$i/data" "$port" > "$work/r$i/config.yml"
  docker-registry serve "$work/r$i/config.yml" >"$work/r$i/log" 2>&1 &
  pids+=($!)
  vars+=(--var "${names[$i]}=127.0.0.1:$port")
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
done
# a copy of the example in its own git checkout, so the run leaves the repository as it was
cp -r "$root/examples/serverless-init" "$work/project"
git -C "$work/project" init -q && git -C "$work/project" add -A
git -C "$work/project" -c user.name=demo -c user.email=demo@localhost commit -qm "serverless-init"
spec="$work/project/cutter.yaml"
vars+=(--var "BASES=${vars[1]#BUILD_REGISTRY=}")   # the bases are mirrored in the build registry
export SLACK_WEBHOOK="http://127.0.0.1:9/nobody-listens"   # notifications are for failures; none are expected
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "0. the bases, made offline and pushed to the build registry"
"$root/cutter" release -f "$work/project/bases.yaml" --version 1.0.0 --var "BASES=${vars[1]#BUILD_REGISTRY=}"
step "1. the release candidate"
"$root/cutter" release -f "$spec" --tag serverless-init-1.7.8-rc1 "${vars[@]}"
step "2. verified later, every replica read back"
"$root/cutter" verify -f "$spec" --version 1.7.8-rc1 "${vars[@]}"
step "3. promoted to 1.7.8: the candidate's digests, nothing rebuilt"
"$root/cutter" promote -f "$spec" --from 1.7.8-rc1 --to 1.7.8 "${vars[@]}"
step "4. the production release verified"
"$root/cutter" verify -f "$spec" --version 1.7.8 "${vars[@]}"
step "what the ledger knows"
"$root/cutter" runs list -f "$spec"

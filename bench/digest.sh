#!/usr/bin/env bash
# sha256 of a DIGEST_MIB (default 1024) MiB file of random bytes, from the page cache: openssl
# dgst -sha256 (SHA-NI where the CPU has it), sha256sum (coreutils) and Cutter's Digest.sha256, the
# one every blob, layer and package goes through (a whole JVM process, start included).
# Usage: bench/digest.sh (RUNS, DIGEST_MIB from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mib="${DIGEST_MIB:-1024}"
source "$root/bench/lib.sh"
cp="$(classes)"; export cp work
head -c "${mib}M" /dev/urandom > "$work/file"
cat "$work/file" > /dev/null # into the page cache
want=$(sha256sum "$work/file" | cut -c1-64)
[ "$(openssl dgst -sha256 -r "$work/file" | cut -c1-64)" = "$want" ] && [ "$("$java" -cp "$cp" Sha256File "$work/file" | cut -c1-64)" = "$want" ] \
  || { echo "the digests differ" >&2; exit 1; }
echo "sha256 of $mib MiB:"
note sha256 data "$mib MiB of random bytes, in the page cache"
note sha256 sha_ni "$(grep -q -m1 -w sha_ni /proc/cpuinfo && echo yes || echo no)"
measure sha256 "openssl dgst -sha256" 'openssl dgst -sha256 "$work/file"'
measure sha256 "sha256sum" 'sha256sum "$work/file"'
measure sha256 "cutter (Digest.sha256, JVM start included)" '"$java" -cp "$cp" Sha256File "$work/file"'

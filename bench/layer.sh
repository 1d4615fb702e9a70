#!/usr/bin/env bash
# A layer from a directory of files: LAYER_FILES files, half random bytes, half base64 text
# (compressible), LAYER_TOTAL_MIB in all; `tar | gzip -6` (GNU tar with sorted names, fixed
# mtime and owner, as a reproducible layer is made) against Cutter's LayerBuilder (the same:
# sorted tar, gzip level 6, digest on the fly; a whole JVM process).
# Usage: bench/layer.sh (RUNS, LAYER_FILES, LAYER_TOTAL_MIB from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
files="${LAYER_FILES:-200}"; total="${LAYER_TOTAL_MIB:-256}"
source "$root/bench/lib.sh"
cp="$(classes)"; export cp work
mkdir -p "$work/tree/bin" "$work/tree/share"
each=$(( total * 1024 / files ))
for i in $(seq "$files"); do
  if [ $((i % 2)) -eq 0 ]; then head -c "${each}K" /dev/urandom > "$work/tree/bin/f$i"
  else head -c "$((each * 3 / 4))K" /dev/urandom | base64 -w 76 > "$work/tree/share/f$i.txt"; fi
done
echo "layer of $files files, $total MiB (half random, half base64 text):"
note layer data "$files files, $total MiB: half random bytes, half base64 text"
measure layer "tar --sort=name | gzip -6" 'tar --sort=name --mtime=@1767323045 --owner=0 --group=0 --numeric-owner -C "$work/tree" -cf - . | gzip -6 -n > "$work/layer.tar.gz"'
measure layer "cutter (LayerBuilder, JVM start included)" 'rm -rf "$work/blobs" && "$java" -cp "$cp" BuildLayer "$work/tree" "$work/blobs"'
note layer sizes "tar | gzip -6: $(stat -c %s "$work/layer.tar.gz") bytes; cutter: $(du -b "$work"/blobs/* | cut -f1) bytes"

#!/bin/sh
# Follows the install instructions: download the release, check it, install in order, run km.
set -eu
store="$1"; tag="$2"; dir="$store/$tag"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$dir" && sha256sum -c SHA256SUMS)
tar -xzf "$dir/kontain.tar.gz" -C "$work"
for t in "$dir"/runenv-*.tar.gz; do tar -xzf "$t" -C "$work"; done
"$work/opt/kontain/bin/km" | grep -q "km $tag"

#!/bin/sh
# Follows the install instructions: download the release, check its checksums and their
# signature, install the tarballs in their install order, run km.
set -eu
store="$1"; tag="$2"; dir="$store/$tag"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$dir" && sha256sum -c SHA256SUMS)
gpg --dearmor < keys/release-key.pub.asc > "$work/release-key.gpg"
gpgv --keyring "$work/release-key.gpg" "$dir/SHA256SUMS.asc" "$dir/SHA256SUMS"
tar -xzf "$dir/kontain.tar.gz" -C "$work"
for t in "$dir"/runenv-*.tar.gz; do tar -xzf "$t" -C "$work"; done
"$work/opt/kontain/bin/km" | grep -qx "km $tag"

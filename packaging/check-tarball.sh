#!/bin/sh
# The released tarball as a user gets it: unpacked anywhere, its bin/cutter run with an empty
# environment (no JAVA_HOME, nothing on PATH but /usr/bin:/bin) must say VERSION.
set -eu
tarball=${1:?usage: packaging/check-tarball.sh TARBALL VERSION}
version=${2:?usage: packaging/check-tarball.sh TARBALL VERSION}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tar -xzf "$tarball" -C "$dir"
said=$(env -i PATH=/usr/bin:/bin "$dir/cutter-$version/bin/cutter" --version | head -1)
[ "$said" = "cutter $version" ] || { echo "check-tarball.sh: bin/cutter --version said '$said', not 'cutter $version'" >&2; exit 1; }
echo "$said"

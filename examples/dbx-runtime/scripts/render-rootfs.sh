#!/bin/sh
# Stand-in for `dbx-container build`: writes the runtime's identity file into its rootfs.
set -eu
mkdir -p "$4/etc"
printf 'runtime=%s\nimage_type=%s\nvariant=%s\n' "$1" "$2" "$3" > "$4/etc/dbx-runtime"

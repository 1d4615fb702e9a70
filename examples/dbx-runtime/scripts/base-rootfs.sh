#!/bin/sh
# The root filesystem of the example's local base image, a stand-in for Ubuntu made offline from
# Debian's busybox-static (scripts/setup installs it): busybox, its shell and a few applets
# as symbolic links, an /etc/os-release naming the stand-in, a 1777 /tmp.
# Usage: base-rootfs.sh DIR NAME
set -eu
busybox=$(command -v busybox) || { echo "busybox not found; install it: sudo apt-get install busybox-static" >&2; exit 1; }
rm -rf "$1"
mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
cp "$busybox" "$1/bin/busybox"
chmod 0755 "$1/bin/busybox"
for applet in sh cat ls echo; do ln -s busybox "$1/bin/$applet"; done
chmod 1777 "$1/tmp"
printf 'NAME="%s"\nID=busybox\n' "$2" > "$1/etc/os-release"

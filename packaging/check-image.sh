#!/bin/sh
# The image's filesystem, unpacked by Cutter into $CUTTER_ROOTFS: the launcher and the runtime in
# it must answer `cutter --version` with VERSION. (It runs on this machine's C library; SelfReleaseTest
# runs the image's entry point under chroot, on the image's own.)
set -eu
version=${1:?usage: packaging/check-image.sh VERSION}
said=$(env -i PATH=/usr/bin:/bin "$CUTTER_ROOTFS/opt/cutter/bin/cutter" --version | head -1)
[ "$said" = "cutter $version" ] || { echo "check-image.sh: cutter --version said '$said', not 'cutter $version'" >&2; exit 1; }
echo "$said ($CUTTER_IMAGE, $CUTTER_PLATFORM)"

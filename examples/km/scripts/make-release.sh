#!/bin/sh
# Stand-in for `make release` of one directory: KM itself or a payload's runenv.
set -eu
what="$1"; out="$2"
if [ "$what" = km ]; then
  mkdir -p "$out/opt/kontain/bin"
  printf '#!/bin/sh\necho "km %s"\n' "${RELEASE_TAG:-dev}" > "$out/opt/kontain/bin/km"
  chmod 0755 "$out/opt/kontain/bin/km"
  echo "${RELEASE_TAG:-dev}" > "$out/opt/kontain/VERSION"
else
  mkdir -p "$out/opt/kontain/runenv-$what/bin"
  printf '#!/bin/sh\necho "runenv-%s"\n' "$what" > "$out/opt/kontain/runenv-$what/bin/run"
  chmod 0755 "$out/opt/kontain/runenv-$what/bin/run"
fi

#!/bin/sh
# Stand-in for `go build -tags "$1" -o "$2" ./cmd/serverless-init`: writes a small
# static "binary" for $GOOS/$GOARCH so the release runs without a Go toolchain.
set -eu
mkdir -p "$(dirname "$2")"
printf '#!/bin/sh\necho "datadog-init %s/%s tags=%s agent=%s"\n' "$GOOS" "$GOARCH" "$1" "${AGENT_VERSION:-default}" > "$2"
chmod 0755 "$2"

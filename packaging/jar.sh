#!/usr/bin/env bash
# The versioned jar: Maven's shaded build with VERSION in its manifest, as dist/jar/cutter.jar, and
# unpacked into dist/jar/tree/, from which the release's cutter-VERSION.jar is packed as a
# reproducible zip. Maven runs online unless CUTTER_MAVEN_ARGS says -o.
set -euo pipefail
version=${1:?usage: packaging/jar.sh VERSION}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/scripts/find-jdk")"
export JAVA_HOME
if [ "$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$JAVA_HOME/release")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" # Maven's own libraries, not ours
fi
cd "$root"
# shellcheck disable=SC2086 # CUTTER_MAVEN_ARGS is a list of words
./mvnw -B -q -Dmaven.test.skip=true -Dcutter.version="$version" ${CUTTER_MAVEN_ARGS:-} package
rm -rf dist/jar
mkdir -p dist/jar/tree
cp target/cutter.jar dist/jar/cutter.jar
(cd dist/jar/tree && "$JAVA_HOME/bin/jar" -xf ../cutter.jar)
grep -qx "Implementation-Version: $version" <(tr -d '\r' < dist/jar/tree/META-INF/MANIFEST.MF) \
  || { echo "jar.sh: the manifest does not say version $version" >&2; exit 1; }

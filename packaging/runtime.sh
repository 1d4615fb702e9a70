#!/usr/bin/env bash
# Cutter with its own Java runtime, for one platform, into OUT (dist/cutter/ARCH):
#   bin/cutter      the launcher (packaging/cutter)
#   lib/cutter.jar  Cutter's and picocli's classes of the jar packaging/jar.sh made (or $CUTTER_JAR),
#                   naming lib/cutter-libs.jar, the libraries, in its Class-Path (packaging/SplitJar.java)
#   lib/cutter.jsa  the class-data archive of Cutter's classes, made here by running `cutter plan` on
#                   an example with this very runtime: the JVM maps them instead of loading them.
#                   With a JDK 25 or newer it is an AOT cache (JEP 483/514: classes loaded and
#                   linked, call sites resolved, method profiles), else a dynamic AppCDS archive
#   lib/cutter-version.jsa  (JDK 25+) the AOT cache of `cutter --version`, for the commands that
#                   only print: the plan's cache loads and links every class a plan needs up front
#   lib/cutter-repo.jsa  (JDK 25+) the AOT cache of `cutter repo index` and `repo add`, apt and yum,
#                   over generated packages, which every `cutter repo` command starts from
#   runtime/        a jlink image of the modules Cutter uses
# and ROOTFS (dist/rootfs/ARCH), the shared libraries that runtime needs, /tmp and /etc/passwd, the layer
# under it in the container image (which is otherwise `scratch`).
# The runtime is linked from this machine's JDK, so only its platform is made: jlink for another
# one needs that platform's jmods (see docs/install.md).
set -euo pipefail
arch=${1:?usage: packaging/runtime.sh ARCH OUT ROOTFS}
out=${2:?usage: packaging/runtime.sh ARCH OUT ROOTFS}
rootfs=${3:?usage: packaging/runtime.sh ARCH OUT ROOTFS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
case "$rootfs" in /*) ;; *) rootfs="$PWD/$rootfs" ;; esac
JAVA_HOME="$("$root/scripts/find-jdk")"
here=$(dpkg --print-architecture 2>/dev/null || uname -m)
if [ "$arch" != "$here" ]; then
  echo "runtime.sh: this machine links $here runtimes only, not $arch (jlink needs that platform's jmods)" >&2
  exit 2
fi
# What `jdeps --print-module-deps` finds in the shaded jar, plus the providers looked up at run time
# (charsets, EC keys for TLS, zip file systems) and sun.misc.Unsafe for the native libraries.
modules=java.base,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.rmi,java.security.jgss,java.sql
modules=$modules,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.crypto.ec
modulepath=()
[ -d "$JAVA_HOME/jmods" ] && modulepath=(--module-path "$JAVA_HOME/jmods") # else JDK 24+ links from its own image
rm -rf "$out" "$rootfs"
mkdir -p "$out/bin" "$out/lib"
"$JAVA_HOME/bin/jlink" "${modulepath[@]}" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$out/runtime" >/dev/null
jar="${CUTTER_JAR:-$root/dist/jar/cutter.jar}"
# picocli's class files are Java 5's, which no class-data archive keeps once they are linked: written
# again as Java 8's (the same code, with stack map frames), they are archived like every other class.
whole=$(mktemp --suffix=.jar); trap 'rm -f "$whole"' EXIT
"$JAVA_HOME/bin/java" -cp "$jar" "$root/packaging/ArchivableClasses.java" "$jar" "$whole" picocli/ >/dev/null
# Every start reads the whole central directory of the jar it runs: Cutter's own classes and
# picocli's in lib/cutter.jar (about 1,300 entries) and the libraries in lib/cutter-libs.jar (about
# 19,000), which the class loader opens only when a command needs a class of theirs.
"$JAVA_HOME/bin/java" "$root/packaging/SplitJar.java" "$whole" "$out/lib/cutter.jar" "$out/lib/cutter-libs.jar" \
  dev/ picocli/ simplelogger.properties META-INF/maven/dev.cutter/ >/dev/null
rm -f "$whole"
# An archive holds only for the jar as it was when the archive was made, modification time included.
# The tarball, the packages and the image give every file the release's source date
# (SOURCE_DATE_EPOCH, else the commit's time): the jar gets it now, or the installed archive is
# silently not used.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 315532800)}
touch -d "@$epoch" "$out/lib/cutter.jar" "$out/lib/cutter-libs.jar"
install -m 0755 "$root/packaging/cutter" "$out/bin/cutter"
# The class-data archives: the classes a plan loads (the spec loader, planner, picocli's model), and
# with a JDK 25 or newer those of the version alone.
feature=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$out/runtime/release")
if [ "$feature" -ge 25 ]; then
  (cd "$root" && "$out/runtime/bin/java" -XX:AOTCacheOutput="$out/lib/cutter.jsa" -Xlog:aot=error -Xlog:cds=error \
    -jar "$out/lib/cutter.jar" plan -f examples/km/cutter.yaml --version 0.1.0 >/dev/null)
  # with the launcher's flags for the commands that only print
  "$out/runtime/bin/java" -XX:AOTCacheOutput="$out/lib/cutter-version.jsa" -Xlog:aot=error -Xlog:cds=error \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -jar "$out/lib/cutter.jar" --version >/dev/null
  [ -s "$out/lib/cutter-version.jsa" ] || { echo "runtime.sh: no AOT cache of --version was written" >&2; exit 1; }
  # `cutter repo` indexes and adds packages as a whole process, measured against apt-ftparchive,
  # reprepro and createrepo_c: its own cache, trained in one process (dev.cutter.cli.Training) on
  # what it serves, index and add of generated packages (made with the JDK, whose source launcher
  # the runtime lacks), apt and yum, so their reading, hashing and index writing start linked and
  # profiled, and nothing a plan needs is loaded first.
  train=$(mktemp -d); trap 'rm -rf "$train"' EXIT
  for format in deb rpm; do
    "$JAVA_HOME/bin/java" -cp "$out/lib/cutter.jar" "$root/bench/GeneratePackages.java" $format 300 "$train/$format" >/dev/null
    "$JAVA_HOME/bin/java" -cp "$out/lib/cutter.jar" "$root/bench/GeneratePackages.java" $format 1 "$train/$format-1" 300 >/dev/null
  done
  mkdir -p "$train/apt/pool" "$train/yum"; cp -r "$train/deb" "$train/apt/pool/main"; cp "$train"/rpm/*.rpm "$train/yum/"
  "$out/runtime/bin/java" -XX:AOTCacheOutput="$out/lib/cutter-repo.jsa" -Xlog:aot=error -Xlog:cds=error \
    -cp "$out/lib/cutter.jar" dev.cutter.cli.Training \
    repo index --dir "$train/apt" --type apt --compression gz,xz \; repo index --dir "$train/yum" --type yum \; \
    repo add --dir "$train/add-apt" "$train"/deb/*.deb \; repo add --dir "$train/add-apt" "$train"/deb-1/*.deb \; \
    repo add --dir "$train/add-yum" "$train"/rpm/*.rpm \; repo add --dir "$train/add-yum" "$train"/rpm-1/*.rpm >/dev/null
  [ -s "$out/lib/cutter-repo.jsa" ] || { echo "runtime.sh: no AOT cache of repo was written" >&2; exit 1; }
  # `cutter release` (and promote, verify, job run, copy) loads what a plan never does: the
  # scheduler, the process runner, the SQLite ledger, the content store, the HTTP client and the
  # registry push. Its cache is trained in one process (dev.cutter.cli.Training) on two offline
  # releases in a scratch directory: a build writes a file, an image on scratch carries it (and a
  # dpkg database) and is pushed to docker-registry on loopback, started here and stopped on exit
  # with the directory; the second release attests its image (SBOMs, signed provenance,
  # signatures with the examples' throwaway key), so a release starts linked whether it attests or
  # not. Training gets no --enable-native-access (the launcher's -jar gives SQLite native access
  # from the jar's manifest, which the cache does not see; the flag would make the cache another
  # configuration's, unused): SQLite's library loads with the JDK's warning.
  command -v docker-registry >/dev/null || { echo "runtime.sh: needs docker-registry to train the release's AOT cache: scripts/setup" >&2; exit 2; }
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%s }\n' \
    "$train/registry" "$port" > "$train/registry.yml"
  docker-registry serve "$train/registry.yml" > "$train/registry.log" 2>&1 &
  registry=$!
  trap 'kill "$registry" 2>/dev/null || true; wait "$registry" 2>/dev/null || true; rm -rf "$train"' EXIT
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.05; done
  curl -sf "http://127.0.0.1:$port/v2/" >/dev/null || { echo "runtime.sh: docker-registry did not start:" >&2; cat "$train/registry.log" >&2; exit 1; }
  # its own home (the SQLite library's cache stays in it too) and no other environment: a ledger,
  # credentials or a run of the release that builds this runtime are not the training's to touch
  mkdir -p "$train/home"
  for kind in plain attested; do
    mkdir -p "$train/release-$kind/keys"
    cp "$root/examples/km/keys/release-key.asc" "$train/release-$kind/keys/"
    printf 'Package: base-files\nStatus: install ok installed\nArchitecture: %s\nVersion: 13\n\n' "$arch" > "$train/release-$kind/status"
    cat > "$train/release-$kind/cutter.yaml" <<SPEC
project: train-$kind
registries: { local: { url: "127.0.0.1:$port" } }
builds:
  - id: file
    run: mkdir -p dist && head -c 1048576 /dev/urandom > dist/payload
    outputs: [ "dist/payload" ]
images:
  - id: image
    platforms: [linux/$arch]
    from: scratch
    files: { "/payload": "dist/payload", "/var/lib/dpkg/status": "status" }
    entrypoint: [ "/payload" ]
    push: local/train/$kind
    tags: [ "{version}", "latest" ]
SPEC
  done
  echo 'attestations: { key: "${file:keys/release-key.asc}" }' >> "$train/release-attested/cutter.yaml"
  releases=(release -f release-plain/cutter.yaml --version 1.0.0 --sha 0000000000000000000000000000000000000000
    \; release -f release-attested/cutter.yaml --version 1.0.0 --sha 0000000000000000000000000000000000000000)
  # where buildah is installed (scripts/setup installs it), a third release builds its image from
  # a Dockerfile through it, on the first release's image as its base (a build argument): the
  # builder's runner and the import of its OCI layout start linked too
  if command -v buildah >/dev/null; then
    mkdir -p "$train/release-built"
    head -c 65536 /dev/urandom > "$train/release-built/payload"
    printf 'ARG BASE\nFROM ${BASE}\nCOPY payload /payload.copy\n' > "$train/release-built/Dockerfile"
    cat > "$train/release-built/cutter.yaml" <<SPEC
project: train-built
registries: { local: { url: "127.0.0.1:$port" } }
images:
  - id: image
    platforms: [linux/$arch]
    dockerfile: Dockerfile
    context: .
    builder: buildah
    args: { BASE: "127.0.0.1:$port/train/plain:1.0.0" }
    push: local/train/built
    tags: [ "{version}" ]
SPEC
    releases+=(\; release -f release-built/cutter.yaml --version 1.0.0 --sha 0000000000000000000000000000000000000000)
  fi
  (cd "$train" && env -i PATH="$PATH" CI=1 HOME="$train/home" XDG_CACHE_HOME="$train/home/.cache" \
    "$out/runtime/bin/java" -XX:AOTCacheOutput="$out/lib/cutter-release.jsa" -Xlog:aot=error -Xlog:cds=error \
    -cp "$out/lib/cutter.jar" dev.cutter.cli.Training "${releases[@]}" > "$train/training.log" 2>&1) \
    || { echo "runtime.sh: the releases that train its AOT cache failed:" >&2; cat "$train/training.log" "$train/registry.log" >&2; exit 1; }
  [ -s "$out/lib/cutter-release.jsa" ] || { echo "runtime.sh: no AOT cache of release was written" >&2; exit 1; }
else
  (cd "$root" && "$out/runtime/bin/java" -XX:ArchiveClassesAtExit="$out/lib/cutter.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -jar "$out/lib/cutter.jar" plan -f examples/km/cutter.yaml --version 0.1.0 >/dev/null)
fi
[ -s "$out/lib/cutter.jsa" ] || { echo "runtime.sh: no class-data archive was written" >&2; exit 1; }

# The container image's lower layer: the C libraries the runtime links to, and /tmp.
mkdir -p "$rootfs/tmp" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
# user names for the JVM's user.name and user.home, as a distribution's base image has them
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
# (the windowing toolkit's libraries stay out: Cutter runs headless)
find "$out/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! -name 'libawt_xawt.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so' ! -name 'libjsound.so' -print0 | xargs -0 ldd 2>/dev/null \
  | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u | while read -r lib; do
    case "$lib" in "$out"/*) continue ;; esac # the runtime's own
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
[ -n "$(find "$rootfs" -name 'libc.so*' -print -quit)" ] || { echo "runtime.sh: ldd found no C library for the image" >&2; exit 1; }

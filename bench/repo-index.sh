#!/usr/bin/env bash
# Repository indexing against the peers, same files, one run, whole processes (JVM start
# included): N .deb indexed by apt-ftparchive, dpkg-scanpackages and `cutter repo index`, then BIG
# (default 100) .deb of 2 MiB by apt-ftparchive and `cutter repo index`; N .rpm
# by createrepo_c and `cutter repo index`; then one package added to the N by reprepro /
# createrepo_c --update and `cutter repo add`. Each Cutter row says which Cutter it ran: the
# release runtime (packaging/runtime.sh, linked here if $CUTTER_HOME has none: jlink, the AOT cache
# of `repo`, the launcher's flags) or target/cutter.jar on the JDK.
# Usage: bench/repo-index.sh (RUNS and PACKAGES, default 2000, from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
n="${PACKAGES:-2000}"
source "$root/bench/lib.sh"
for tool in apt-ftparchive dpkg-scanpackages dpkg-deb reprepro createrepo_c; do
  command -v "$tool" >/dev/null || { echo "needs $tool: scripts/setup" >&2; exit 2; }
done
cp="$(classes)"
release_runtime
gen() { "$java" -cp "$cp" GeneratePackages "$@"; }
gen deb "$n" "$work/debs"; gen deb 1 "$work/extra-deb" "$n"
gen rpm "$n" "$work/rpms"; gen rpm 1 "$work/extra-rpm" "$n"
echo "repositories: $n + 1 packages of each format, $(du -sh "$work/debs" | cut -f1) of .deb, $(du -sh "$work/rpms" | cut -f1) of .rpm"
note apt data "$n generated .deb ($(du -sh "$work/debs" | cut -f1))"
note yum data "$n generated .rpm ($(du -sh "$work/rpms" | cut -f1))"
export work

echo "apt, full index of $n .deb (Packages + Packages.gz):"
apt="$work/apt"; mkdir -p "$apt/pool/main" "$apt/out"; cp -l "$work"/debs/*.deb "$apt/pool/main/"
export apt
measure apt "apt-ftparchive packages | gzip -6" 'cd "$apt" && apt-ftparchive packages pool/main | tee out/Packages | gzip -6 > out/Packages.gz'
measure apt "dpkg-scanpackages | gzip -6" 'cd "$apt" && dpkg-scanpackages -m pool/main | tee out/Packages | gzip -6 > out/Packages.gz'
measure apt "cutter repo index (runtime)" 'cutter_runtime repo index --dir "$apt" --type apt --compression gz --no-by-hash'
measure apt "cutter repo index (runtime, C1 only)" 'CUTTER_JAVA_OPTS=-XX:TieredStopAtLevel=1 cutter_runtime repo index --dir "$apt" --type apt --compression gz --no-by-hash'
measure apt "cutter repo index (jar on the JDK)" 'cutter repo index --dir "$apt" --type apt --compression gz --no-by-hash'
cutter repo verify --dir "$apt" >/dev/null

# The generated packages are a few KiB: their index measures the start and the compilers' warm-up
# more than the reading. Packages of 2 MiB (BIG of them, incompressible, built by dpkg-deb) weigh the
# hashing of whole files instead, where the optimizing compiler's SHA intrinsics and the two
# reading threads count (the reason `repo` keeps C2: see docs/benchmarks.md).
big_n="${BIG:-100}"
echo "apt, full index of $big_n .deb of 2 MiB:"
big="$work/big"; mkdir -p "$big/pool/main" "$big/out" "$work/bigsrc"; head -c 2097152 /dev/urandom > "$work/blob"
for i in $(seq "$big_n"); do
  d="$work/bigsrc/p$i"; mkdir -p "$d/DEBIAN" "$d/usr/share/big$i"; cp "$work/blob" "$d/usr/share/big$i/blob"
  printf 'Package: big%s\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Bench <bench@example.invalid>\nDescription: 2 MiB\n' "$i" > "$d/DEBIAN/control"
  dpkg-deb --root-owner-group -Znone -b "$d" "$big/pool/main/big${i}_1.0-1_amd64.deb" >/dev/null; rm -rf "$d"
done
note apt-big data "$big_n .deb of 2 MiB each ($(du -sh "$big/pool" | cut -f1)), built by dpkg-deb -Znone"
export big
measure apt-big "apt-ftparchive packages | gzip -6" 'cd "$big" && apt-ftparchive packages pool/main | tee out/Packages | gzip -6 > out/Packages.gz'
measure apt-big "cutter repo index (runtime)" 'cutter_runtime repo index --dir "$big" --type apt --compression gz --no-by-hash'
measure apt-big "cutter repo index (runtime, C1 only)" 'CUTTER_JAVA_OPTS=-XX:TieredStopAtLevel=1 cutter_runtime repo index --dir "$big" --type apt --compression gz --no-by-hash'

echo "apt, add 1 .deb to $n:"
reprepro_base="$work/reprepro"; mkdir -p "$reprepro_base/conf"
printf 'Codename: stable\nComponents: main\nArchitectures: amd64\n' > "$reprepro_base/conf/distributions"
reprepro -b "$reprepro_base" includedeb stable "$work"/debs/*.deb >/dev/null 2>&1
cut_base="$work/cutter-apt"; cutter repo add --dir "$cut_base" --compression gz --no-by-hash "$work"/debs/*.deb >/dev/null
extra_deb=$(ls "$work"/extra-deb/*.deb); export extra_deb
prepare() { rm -rf "$work/r"; cp -a "$reprepro_base" "$work/r"; }
measure apt-add "reprepro includedeb" 'reprepro -b "$work/r" includedeb stable "$extra_deb"'
prepare() { rm -rf "$work/c"; cp -a "$cut_base" "$work/c"; }
measure apt-add "cutter repo add (runtime)" 'cutter_runtime repo add --dir "$work/c" --compression gz --no-by-hash "$extra_deb"'
measure apt-add "cutter repo add (jar on the JDK)" 'cutter repo add --dir "$work/c" --compression gz --no-by-hash "$extra_deb"'
prepare() { :; }

echo "yum, full index of $n .rpm:"
yum="$work/yum"; mkdir -p "$yum"; cp -l "$work"/rpms/*.rpm "$yum/"; export yum
measure yum "createrepo_c --no-database" 'createrepo_c --no-database "$yum"'
measure yum "createrepo_c (with its sqlite databases)" 'createrepo_c "$yum"'
prepare() { rm -rf "$yum/repodata" "$yum/.cutter-yum-index"; }
measure yum "cutter repo index (runtime)" 'cutter_runtime repo index --dir "$yum" --type yum'
measure yum "cutter repo index (jar on the JDK)" 'cutter repo index --dir "$yum" --type yum'
prepare() { :; }

echo "yum, add 1 .rpm to $n:"
crc_base="$work/crc"; mkdir -p "$crc_base"; cp -l "$work"/rpms/*.rpm "$crc_base/"; createrepo_c --no-database "$crc_base" >/dev/null
cy_base="$work/cy"; cutter repo add --dir "$cy_base" "$work"/rpms/*.rpm >/dev/null
extra_rpm=$(ls "$work"/extra-rpm/*.rpm); export extra_rpm
prepare() { rm -rf "$work/u"; cp -a "$crc_base" "$work/u"; }
measure yum-add "cp + createrepo_c --update" 'cp "$extra_rpm" "$work/u/" && createrepo_c --no-database --update "$work/u"'
prepare() { rm -rf "$work/v"; cp -a "$cy_base" "$work/v"; }
measure yum-add "cutter repo add (runtime)" 'cutter_runtime repo add --dir "$work/v" "$extra_rpm"'
measure yum-add "cutter repo add (jar on the JDK)" 'cutter repo add --dir "$work/v" "$extra_rpm"'

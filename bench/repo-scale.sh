#!/usr/bin/env bash
# Repositories as they grow, against the peers, same files, one run, whole processes (JVM start
# included). For each size N of SCALE_SIZES (default 1000 10000 40000; VERSIONS versions of each
# tool, default 4): N .deb indexed whole by apt-ftparchive and `cutter repo index`; one .deb
# added to the N by reprepro includedeb, aptly (repo add + publish update) and `cutter repo add`;
# N .rpm indexed by createrepo_c and `cutter repo index`, one added by createrepo_c --update and
# `cutter repo add`; and `cutter repo add --keep 2`, which drops the older versions (retention).
# Bench ids carry the size (apt@1000, apt-add@1000…); bench/report.py tabulates them by size.
# Sizes of 40,000 and more are measured LARGE_RUNS times (default 1: a 2-core machine needs most
# of an hour for the whole scale run as it is), the others RUNS times. Cutter's apt commands are
# measured twice: as the JVM sizes its heap by itself (1/64 of the machine's memory to start with,
# filled with garbage before the first collection), and with the heap capped at CAPPED_HEAP
# (default 64m), the same cap at every size, which shows what the work itself holds.
# SCALE_KINDS (default "apt yum") narrows the run to one family.
# Usage: bench/repo-scale.sh (RUNS, LARGE_RUNS, SCALE_SIZES, SCALE_KINDS, VERSIONS from the environment)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
sizes="${SCALE_SIZES:-1000 10000 40000}"
versions="${VERSIONS:-4}"
kinds="${SCALE_KINDS:-apt yum}"
has() { case " $kinds " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
source "$root/bench/lib.sh"
for tool in apt-ftparchive reprepro aptly createrepo_c; do
  command -v "$tool" >/dev/null || { echo "needs $tool: bench/setup" >&2; exit 2; }
done
cp="$(classes)"
gen() { "$java" -cp "$cp" GeneratePackages "$@"; }
# hard links to every file of $1 in $2 (tens of thousands: no glob on one command line)
link_all() { find "$1" -maxdepth 1 -type f -exec cp -l -t "$2" {} +; }
export work
capped_heap="${CAPPED_HEAP:-64m}"
cutter_capped() { "$java" --enable-native-access=ALL-UNNAMED "-Xmx$capped_heap" -jar "$jar" "$@"; }
export -f cutter_capped; export capped_heap

runs="$RUNS"
for n in $sizes; do
  d="$work/$n"; mkdir -p "$d"; export d
  if [ "$n" -ge 40000 ]; then RUNS="${LARGE_RUNS:-1}"; else RUNS="$runs"; fi
  if has apt; then
  gen deb "$n" "$d/debs" 0 "$versions"; gen deb 1 "$d/extra-deb" "$n" "$versions"
  note "apt@$n" data "$n generated .deb, $versions versions of each of $((n / versions)) tools ($(du -sh "$d/debs" | cut -f1))"
  extra_deb=$(ls "$d"/extra-deb/*.deb); export extra_deb

  echo "apt, full index of $n .deb:"
  mkdir -p "$d/apt/pool/main" "$d/apt/out"; link_all "$d/debs" "$d/apt/pool/main"
  measure "apt@$n" "apt-ftparchive packages | gzip -6" 'cd "$d/apt" && apt-ftparchive packages pool/main | tee out/Packages | gzip -6 > out/Packages.gz'
  measure "apt@$n" "cutter repo index" 'cutter repo index --dir "$d/apt" --type apt --compression gz --no-by-hash'
  measure "apt@$n" "cutter repo index, heap capped at $capped_heap" 'cutter_capped repo index --dir "$d/apt" --type apt --compression gz --no-by-hash'

  echo "apt, add 1 .deb to $n:"
  mkdir -p "$d/reprepro/conf"
  printf 'Codename: stable\nComponents: main\nArchitectures: amd64\n' > "$d/reprepro/conf/distributions"
  (cd "$d/debs" && ls | xargs reprepro -b "$d/reprepro" includedeb stable) >/dev/null 2>&1
  printf '{"rootDir": "%s", "architectures": ["amd64"], "gpgDisableSign": true, "gpgDisableVerify": true}\n' "$d/aptly" > "$d/aptly.conf"
  { aptly -config="$d/aptly.conf" repo create -distribution=stable -component=main bench \
      && aptly -config="$d/aptly.conf" repo add bench "$d/debs" \
      && aptly -config="$d/aptly.conf" publish repo -skip-signing bench; } >/dev/null
  # Cutter's repository of the N: indexed whole (the same state as adding them, byte for byte)
  mkdir -p "$d/cutter-apt/pool/main"; link_all "$d/debs" "$d/cutter-apt/pool/main"
  cutter repo index --dir "$d/cutter-apt" --type apt --compression gz --no-by-hash >/dev/null
  prepare() { rm -rf "$d/r"; cp -a "$d/reprepro" "$d/r"; }
  measure "apt-add@$n" "reprepro includedeb" 'reprepro -b "$d/r" includedeb stable "$extra_deb"'
  prepare() { rm -rf "$d/a" "$d/a.conf"; cp -a "$d/aptly" "$d/a"; sed "s|$d/aptly|$d/a|" "$d/aptly.conf" > "$d/a.conf"; }
  measure "apt-add@$n" "aptly repo add + publish update" 'command aptly -config="$d/a.conf" repo add bench "$extra_deb" && command aptly -config="$d/a.conf" publish update -skip-signing stable'
  prepare() { rm -rf "$d/c"; cp -a "$d/cutter-apt" "$d/c"; }
  measure "apt-add@$n" "cutter repo add" 'cutter repo add --dir "$d/c" --compression gz --no-by-hash "$extra_deb"'
  measure "apt-add@$n" "cutter repo add, heap capped at $capped_heap" 'cutter_capped repo add --dir "$d/c" --compression gz --no-by-hash "$extra_deb"'
  measure "apt-add@$n" "cutter repo add --keep 2 (retention)" 'cutter repo add --dir "$d/c" --compression gz --no-by-hash --keep 2 "$extra_deb"'
  prepare() { :; }
  rm -rf "$d/apt" "$d/reprepro" "$d/aptly" "$d/r" "$d/a" "$d/c" "$d/cutter-apt"
  fi

  if has yum; then
  gen rpm "$n" "$d/rpms" 0 "$versions"; gen rpm 1 "$d/extra-rpm" "$n" "$versions"
  note "yum@$n" data "$n generated .rpm, $versions versions of each of $((n / versions)) tools ($(du -sh "$d/rpms" | cut -f1))"
  extra_rpm=$(ls "$d"/extra-rpm/*.rpm); export extra_rpm

  echo "yum, full index of $n .rpm:"
  mkdir -p "$d/yum"; link_all "$d/rpms" "$d/yum"
  measure "yum@$n" "createrepo_c --no-database" 'createrepo_c --no-database "$d/yum"'
  prepare() { rm -rf "$d/yum/repodata" "$d/yum/.cutter-yum-index"; }
  measure "yum@$n" "cutter repo index" 'cutter repo index --dir "$d/yum" --type yum'
  prepare() { :; }

  echo "yum, add 1 .rpm to $n:"
  mkdir -p "$d/crc"; link_all "$d/rpms" "$d/crc"; createrepo_c --no-database "$d/crc" >/dev/null
  mkdir -p "$d/cy"; link_all "$d/rpms" "$d/cy"; cutter repo index --dir "$d/cy" --type yum >/dev/null
  prepare() { rm -rf "$d/u"; cp -a "$d/crc" "$d/u"; }
  measure "yum-add@$n" "cp + createrepo_c --update" 'cp "$extra_rpm" "$d/u/" && createrepo_c --no-database --update "$d/u"'
  prepare() { rm -rf "$d/v"; cp -a "$d/cy" "$d/v"; }
  measure "yum-add@$n" "cutter repo add" 'cutter repo add --dir "$d/v" "$extra_rpm"'
  measure "yum-add@$n" "cutter repo add --keep 2 (retention)" 'cutter repo add --dir "$d/v" --keep 2 "$extra_rpm"'
  prepare() { :; }
  fi
  rm -rf "$d"
done

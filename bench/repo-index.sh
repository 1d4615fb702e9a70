#!/usr/bin/env bash
# Repository indexing against the peers, same files, one run, whole processes (JVM start
# included): N .deb indexed by apt-ftparchive, dpkg-scanpackages and `cutter repo index`;
# N .rpm by createrepo_c and `cutter repo index`; then one package added to the N by
# reprepro / createrepo_c --update and `cutter repo add`. Prints medians and ratios.
# Usage: bench/repo-index.sh [N] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-2000}"; runs="${2:-5}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
for tool in apt-ftparchive dpkg-scanpackages reprepro createrepo_c; do
  command -v "$tool" >/dev/null || { echo "needs $tool: scripts/setup" >&2; exit 2; }
done
"$root/cutter" --version >/dev/null
java="$("$root/scripts/find-jdk")/bin/java"
cutter() { "$java" --enable-native-access=ALL-UNNAMED -jar "$root/target/cutter.jar" "$@"; }
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# runs "$@" RUNS times after running `prepare` (untimed) each time; prints the median wall time
timed() { local t s=(); for _ in $(seq "$runs"); do prepare; t=$(now); "$@" >/dev/null 2>&1; s+=("$(echo "$(now) - $t" | bc)"); done; median "${s[@]}"; }
prepare() { :; }
row() { printf '  %-44s %7.3f s   %s\n' "$1" "$2" "${3:-}"; }
ratio() { printf '(%.2f x %s)' "$(echo "$1 / $2" | bc -l)" "$3"; }

echo "generating $n + 1 packages of each format ..."
gen() { "$java" -cp "$root/target/cutter.jar" "$root/bench/GeneratePackages.java" "$@"; }
gen deb "$n" "$work/debs"; gen deb 1 "$work/extra-deb" "$n"
gen rpm "$n" "$work/rpms"; gen rpm 1 "$work/extra-rpm" "$n"
echo "$(du -sh "$work/debs" | cut -f1) of .deb, $(du -sh "$work/rpms" | cut -f1) of .rpm"

echo "apt, full index of $n .deb (Packages + Packages.gz):"
apt="$work/apt"; mkdir -p "$apt/pool/main" "$apt/out"; cp -l "$work"/debs/*.deb "$apt/pool/main/"
ftp() { cd "$apt" && apt-ftparchive packages pool/main | tee out/Packages | gzip -6 > out/Packages.gz; }
scan() { cd "$apt" && dpkg-scanpackages -m pool/main | tee out/Packages | gzip -6 > out/Packages.gz; }
t_ftp=$(timed ftp); t_scan=$(timed scan)
t_cut=$(timed cutter repo index --dir "$apt" --type apt --compression gz --no-by-hash)
cutter repo verify --dir "$apt" >/dev/null
row "apt-ftparchive packages | gzip" "$t_ftp"
row "dpkg-scanpackages | gzip" "$t_scan"
row "cutter repo index (+ Release)" "$t_cut" "$(ratio "$t_cut" "$t_ftp" apt-ftparchive) $(ratio "$t_cut" "$t_scan" dpkg-scanpackages)"

echo "apt, add 1 .deb to $n:"
reprepro_base="$work/reprepro"; mkdir -p "$reprepro_base/conf"
printf 'Codename: stable\nComponents: main\nArchitectures: amd64\n' > "$reprepro_base/conf/distributions"
reprepro -b "$reprepro_base" includedeb stable "$work"/debs/*.deb >/dev/null 2>&1
cut_base="$work/cutter-apt"; cutter repo add --dir "$cut_base" --compression gz --no-by-hash "$work"/debs/*.deb >/dev/null
extra_deb=$(ls "$work"/extra-deb/*.deb)
prepare() { rm -rf "$work/r"; cp -a "$reprepro_base" "$work/r"; }
t_rep=$(timed reprepro -b "$work/r" includedeb stable "$extra_deb")
prepare() { rm -rf "$work/c"; cp -a "$cut_base" "$work/c"; }
t_cadd=$(timed cutter repo add --dir "$work/c" --compression gz --no-by-hash "$extra_deb")
prepare() { :; }
row "reprepro includedeb" "$t_rep"
row "cutter repo add" "$t_cadd" "$(ratio "$t_cadd" "$t_rep" reprepro)"

echo "yum, full index of $n .rpm:"
yum="$work/yum"; mkdir -p "$yum"; cp -l "$work"/rpms/*.rpm "$yum/"
t_crc=$(timed createrepo_c --no-database "$yum")
t_crcdb=$(timed createrepo_c "$yum")
rm -rf "$yum/repodata"
t_cyum=$(timed cutter repo index --dir "$yum" --type yum)
row "createrepo_c --no-database" "$t_crc"
row "createrepo_c (with sqlite)" "$t_crcdb"
row "cutter repo index" "$t_cyum" "$(ratio "$t_cyum" "$t_crc" createrepo_c)"

echo "yum, add 1 .rpm to $n:"
crc_base="$work/crc"; mkdir -p "$crc_base"; cp -l "$work"/rpms/*.rpm "$crc_base/"; createrepo_c --no-database "$crc_base" >/dev/null
cy_base="$work/cy"; cutter repo add --dir "$cy_base" "$work"/rpms/*.rpm >/dev/null
extra_rpm=$(ls "$work"/extra-rpm/*.rpm)
crc_update() { cp "$extra_rpm" "$work/u/" && createrepo_c --no-database --update "$work/u"; }
prepare() { rm -rf "$work/u"; cp -a "$crc_base" "$work/u"; }
t_upd=$(timed crc_update)
prepare() { rm -rf "$work/v"; cp -a "$cy_base" "$work/v"; }
t_cyadd=$(timed cutter repo add --dir "$work/v" "$extra_rpm")
row "cp + createrepo_c --update" "$t_upd"
row "cutter repo add" "$t_cyadd" "$(ratio "$t_cyadd" "$t_upd" "createrepo_c --update")"
echo "(medians of $runs runs; $(apt-ftparchive --version 2>&1 | head -1 | awk '{print $1, $2}'), reprepro $(reprepro --version 2>&1 | awk '{print $NF}'), createrepo_c $(createrepo_c --version | awk '{print $2}'))"

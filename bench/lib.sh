# Shared by the bench scripts (sourced): measurement with medians and peak RSS, results as lines
# for bench/report.py, registries on loopback. Needs $root (the checkout) and $work (a scratch dir).
RUNS="${RUNS:-5}"
BENCH_RESULTS="${BENCH_RESULTS:-$work/results.tsv}"
java="$("$root/scripts/find-jdk")/bin/java"
jar="$root/target/cutter.jar"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time): scripts/setup" >&2; exit 2; }
cutter() { "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }
export -f cutter; export java jar
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
prepare() { :; }

# measure BENCH LABEL 'SHELL COMMAND' — runs `prepare` (untimed), then the command under GNU time,
# $RUNS times; appends "BENCH<TAB>LABEL<TAB>median<TAB>min<TAB>max<TAB>peak RSS KiB<TAB>runs" to
# $BENCH_RESULTS and prints a row. The RSS is the largest process's (GNU time reports the
# maximum over the command's process tree), not a sum.
measure() {
  local bench="$1" label="$2" command="$3" times=() rss=0 t m
  for _ in $(seq "$RUNS"); do
    prepare
    t=$(now)
    if ! /usr/bin/time -f "%M" -o "$work/.rss" bash -c "$command" > "$work/.out" 2>&1; then
      echo "failed: $command" >&2; tail -20 "$work/.out" >&2; exit 1
    fi
    times+=("$(echo "$(now) - $t" | bc -l)")
    m=$(tail -1 "$work/.rss"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local med min max
  med=$(median "${times[@]}"); min=$(printf '%s\n' "${times[@]}" | sort -g | head -1); max=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
  printf '%s\t%s\t%.4f\t%.4f\t%.4f\t%s\t%s\n' "$bench" "$label" "$med" "$min" "$max" "$rss" "$RUNS" >> "$BENCH_RESULTS"
  printf '  %-52s %8.3f s  (min %.3f, max %.3f)  %6.0f MiB\n' "$label" "$med" "$min" "$max" "$(echo "$rss / 1024" | bc -l)"
  LAST="$med"
}

# note BENCH KEY VALUE — a fact for the report (data size, a derived figure)
note() { printf '%s\t%s\t%s\n' "$1" "#$2" "$3" >> "$BENCH_RESULTS"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# registry — starts docker-registry on a free loopback port, prints its address; "pid dir" goes to ${pidfile:-$work/pids}
registry() {
  local port dir
  port=$(free_port); dir="$work/reg-$port"; mkdir -p "$dir"
  printf 'version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: %s } }\nhttp: { addr: 127.0.0.1:%s }\n' "$dir/data" "$port" > "$dir/config.yml"
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo "$! $dir" >> "${pidfile:-$work/pids}"
  until curl -sf "http://127.0.0.1:$port/v2/" >/dev/null; do sleep 0.05; done
  echo "127.0.0.1:$port"
}
stop_registries() { [ -f "$1" ] && while read -r p d; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; rm -rf "$d"; done < "$1"; rm -f "$1"; }

# release_runtime — links the runtime a release ships (packaging/runtime.sh: jlink, the AOT caches,
# the launcher) into ${CUTTER_HOME:-target/bench/cutter} unless it is there and newer than the jar
# (the runtime's jar has the source date as its time, so the archive made after it tells its age);
# exports CUTTER_HOME. `cutter_runtime ARGS` runs it.
release_runtime() {
  CUTTER_HOME="${CUTTER_HOME:-$root/target/bench/cutter}"; export CUTTER_HOME
  if [ ! -x "$CUTTER_HOME/bin/cutter" ] || [ "$jar" -nt "$CUTTER_HOME/lib/cutter.jsa" ]; then
    echo "linking the runtime into $CUTTER_HOME"
    CUTTER_JAR="$jar" "$root/packaging/runtime.sh" "$(dpkg --print-architecture)" "$CUTTER_HOME" "$work/rootfs" >/dev/null
  fi
}
cutter_runtime() { "$CUTTER_HOME/bin/cutter" "$@"; }
export -f cutter_runtime

# classes — compiles the bench's Java launchers once into $work/classes (so no run pays the
# source launcher's compilation) and prints the class path that runs them
classes() {
  if [ ! -d "$work/classes" ]; then
    "$("$root/scripts/find-jdk")/bin/javac" -d "$work/classes" -cp "$jar" "$root"/bench/*.java
  fi
  echo "$jar:$work/classes"
}

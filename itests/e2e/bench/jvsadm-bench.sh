#!/usr/bin/env bash
# jvsadm latency benchmark (a benchmark, not a test): starts an appliance of appliance-image/target/jvs in a
# temporary JVS_STATE/JVS_SOCKET, then measures
#   1. `bin/jvsadm -Ln` wall time over N runs (hyperfine when installed, else a bash loop), median;
#   2. `-R` of a generated table of 10,000 services x 4 realservers (50,000 lines);
#   3. `-Sn` of that table;
#   4. `-Ln` of a table of 16,000 services.
# Usage: itests/e2e/bench/jvsadm-bench.sh [N]      (N defaults to 50; JVS_HOME overrides the image folder)
set -euo pipefail

N="${1:-50}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JVS_HOME="${JVS_HOME:-$(cd "$HERE/../../../appliance-image/target/jvs" 2>/dev/null && pwd || true)}"
[[ -n "$JVS_HOME" && -x "$JVS_HOME/bin/jvs" ]] || { echo "no appliance image: build it (mvn install -DskipTests -pl appliance-image -am)" >&2; exit 2; }
JVSADM="$JVS_HOME/bin/jvsadm"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jvs-bench.XXXXXX")"
export JVS_STATE="$WORK/state" JVS_SOCKET="$WORK/jvs.sock"
cleanup() {
  "$JVS_HOME/bin/jvs" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# hyperfine is a Debian package; install it when missing and we may.
if ! command -v hyperfine >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "installing hyperfine (apt-get)..." >&2
  (apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; }) || true
fi

now_ns() { date +%s%N; }
ms() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'; }
median_ms() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) m = a[(NR + 1) / 2]; else m = (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1e6 }'; }
# time_once IN OUT CMD...: runs CMD <IN >OUT and prints its wall time in ns; fails when CMD fails
time_once() {
  local in="$1" out="$2" t0 t1; shift 2
  t0=$(now_ns)
  "$@" <"$in" >"$out" || { echo "failed: $*" >&2; return 1; }
  t1=$(now_ns)
  echo $((t1 - t0))
}

"$JVS_HOME/bin/jvs" start >/dev/null
echo "appliance: $JVS_HOME (state $JVS_STATE)"
echo "java: $(java -version 2>&1 | head -1); cpus: $(nproc)"

# Realistic small table for the latency measurement (the seed's director set-up).
"$JVSADM" -A -t 129.129.190.54:22 -s rr
"$JVSADM" -a -t 129.129.190.54:22 -r 129.129.190.175 -g -w 1
"$JVSADM" -a -t 129.129.190.54:22 -r 129.129.190.176 -g -w 1

echo
echo "1. bin/jvsadm -Ln, $N runs (client JVM start + one socket round trip)"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --style basic --warmup 3 --runs "$N" --export-json "$WORK/h.json" "$JVSADM -Ln" >/dev/null
  python3 - "$WORK/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"   hyperfine: median {r['median']*1000:.1f} ms, mean {r['mean']*1000:.1f} ms +- {r['stddev']*1000:.1f}, "
      f"min {r['min']*1000:.1f} ms, max {r['max']*1000:.1f} ms")
PY
else
  for _ in 1 2 3; do "$JVSADM" -Ln >/dev/null; done
  for _ in $(seq "$N"); do time_once /dev/null /dev/null "$JVSADM" -Ln; done | median_ms | xargs printf "   bash loop: median %s ms\n"
fi

echo
echo "2. -R of 10,000 services x 4 realservers (50,000 lines)"
awk 'BEGIN {
  for (i = 0; i < 10000; i++) {
    vip = sprintf("10.%d.%d.%d:80", int(i / 65536), int(i / 256) % 256, i % 256)
    printf "-A -t %s -s wlc\n", vip
    for (r = 1; r <= 4; r++) printf "-a -t %s -r 192.168.%d.%d:8080 -m -w %d\n", vip, int(i / 60) % 256, (i % 60) * 4 + r, r
  }
}' >"$WORK/table-10k.txt"
"$JVSADM" -C
t=$(time_once "$WORK/table-10k.txt" /dev/null "$JVSADM" -R)
echo "   -R wall time: $(ms "$t") ms ($(wc -l <"$WORK/table-10k.txt") lines, $(wc -c <"$WORK/table-10k.txt") bytes)"

echo
echo "3. -Sn of that table"
t=$(time_once /dev/null "$WORK/saved.txt" "$JVSADM" -Sn)
echo "   -Sn wall time: $(ms "$t") ms ($(wc -l <"$WORK/saved.txt") lines)"
if cmp -s "$WORK/saved.txt" "$WORK/table-10k.txt"; then echo "   -Sn output equals the restored file"; else
  echo "   -Sn output differs from the restored file (order/format): $(diff "$WORK/saved.txt" "$WORK/table-10k.txt" | head -4 | tr '\n' ' ')"; fi
echo "   state file: $(wc -c <"$JVS_STATE/table.conf") bytes"

echo
echo "4. -Ln of 16,000 services"
awk 'BEGIN { for (i = 0; i < 16000; i++) printf "-A -t 10.%d.%d.%d:443 -s rr\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$WORK/table-16k.txt"
"$JVSADM" -C
t=$(time_once "$WORK/table-16k.txt" /dev/null "$JVSADM" -R)
echo "   (-R of 16,000 services: $(ms "$t") ms)"
for _ in $(seq 5); do time_once /dev/null "$WORK/list.txt" "$JVSADM" -Ln; done | median_ms | xargs printf "   -Ln wall time: median of 5 runs %s ms"
echo " ($(wc -l <"$WORK/list.txt") lines)"

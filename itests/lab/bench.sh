#!/usr/bin/env bash
# bench.sh: the anchor benchmark of packet-io-baseline.md 1.3, extended by the JVS targets.
# For each repetition, for each target (interleaved, so drift of the VM's speed hits all targets alike):
# switch the director, warm up (4 s keep-alive HTTP, 2 s UDP), then
#   ka        wrk -t2 -c64 --timeout 2s --latency, keep-alive                         (req/s, p50, p99)
#   close     the same with "Connection: close": one TCP connection per request       (conn/s, p50, p99)
#   lat-ka    lat.c: 100 req/s on one keep-alive connection                          (p50, p99 in µs)
#   lat-close lat.c: 100 req/s, a new connection per request
#   udp       iperf3 -u -l 64 -b 0: datagrams/s received by the realserver (not haproxy: no UDP)
#   flood     gen.c raw 60-byte UDP frames to :5000, counted by the realservers' ingress sink
#             (direct, nft and the JVS targets: the proxies cannot relay it)
# Per test: director CPU (utime+stime of every process in jvs-lb), the machine's usr/sys/softirq/idle,
# and "foreign" CPU: busy time not spent by the lab (other work on a shared machine; such runs are noisy).
# Kernel forwarding runs in softirq, charged to no process: for direct and nft the director's cost
# shows only in the softirq column.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat >&2 <<'EOF'
usage: bench.sh [-r REPS] [-d SECONDS] [-a "TARGET..."] [-t "TEST..."]
  targets on the nat lab: direct nft haproxy nginx jvs-nat cfwd-nat; on the dr lab: dr-direct jvs-dr cfwd-dr
  (cfwd-*: fwd.c, the floor of a user-space forwarder: JVS's packet I/O and nothing else, rs1 only)
  tests: ka close lat-ka lat-close udp flood
  defaults: -r 3 -d 10 -a "direct nft haproxy nginx jvs-nat" -t "ka close lat-ka lat-close udp flood"
  env: NICE=-19     renice the harness, the lab's processes and their scheduler autogroups
       JVS_HOME=DIR the appliance to test (default: <repo>/appliance-image/target/jvs)
EOF
  exit 2
}
topology_of() {
  case $1 in
    direct | nft | haproxy | nginx | jvs-nat | cfwd-nat) echo nat ;;
    dr-direct | jvs-dr | cfwd-dr) echo dr ;;
    *) return 1 ;;
  esac
}

all_tests="ka close lat-ka lat-close udp flood"
reps=3 dur=10 target_list="direct nft haproxy nginx jvs-nat" test_list=$all_tests
while getopts r:d:a:t:h opt; do
  case $opt in r) reps=$OPTARG ;; d) dur=$OPTARG ;; a) target_list=$OPTARG ;; t) test_list=$OPTARG ;; *) usage ;; esac
done
[[ $reps =~ ^[1-9][0-9]?$ && $dur =~ ^[1-9][0-9]{0,2}$ ]] || usage
read -ra targets <<<"$target_list"
((${#targets[@]})) || usage
for t in "${targets[@]}"; do topology_of "$t" >/dev/null || usage; done
declare -A wanted=()
for t in $test_list; do [[ " $all_tests " == *" $t "* ]] || usage; wanted[$t]=1; done
((${#wanted[@]})) || usage
require_root
require_tools gcc wrk iperf3 curl nft ping timeout renice

results=$LAB_DIR/results
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"
csv=$results/bench-$stamp.csv log=$results/bench-$stamp.log
clk_tck=$(getconf CLK_TCK)

# Leave the lab as found: down if it was down, the same topology if one was up.
initial=$(lab_topology)
restore_lab() {
  if [[ -z $initial ]]; then "$LAB_DIR/down.sh" >>"$log" 2>&1
  elif [[ $(lab_topology) != "$initial" ]]; then "$LAB_DIR/up.sh" "$initial" >>"$log" 2>&1; fi
}
on_exit 'jvs_stop'
on_exit "cfwd_stop >>'$log'"
on_exit 'restore_lab'

build_helpers gen lat fwd

# On a shared 2-core machine plain nice does nothing against other sessions (CONFIG_SCHED_AUTOGROUP):
# renice every thread and the autogroup of the harness (its children inherit) and of the lab's daemons.
apply_nice() {
  [[ -n ${NICE:-} ]] || return 0
  local pid task
  for pid in $$ $(lab_pids); do
    for task in /proc/"$pid"/task/*; do renice -n "$NICE" -p "${task##*/}" >/dev/null 2>&1 || true; done
    echo "$NICE" >"/proc/$pid/autogroup" 2>/dev/null || true
  done
}

# Clock ticks (utime+stime) used so far by the given processes.
ticks_of() {
  local pid sum=0 t
  for pid in "$@"; do
    # fields after "pid (comm) ": utime, stime, cutime, cstime are the 12th to 15th
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null) || continue
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}
# One CPU snapshot: director ticks; our ticks (the lab's processes plus the harness's finished children,
# i.e. the load generators); the machine's usr sys(+irq) softirq idle(+iowait) total ticks.
snapshot() {
  local -a lb all
  mapfile -t lb < <(ip netns pids "$NS_LB")
  mapfile -t all < <(lab_pids)
  echo "$(ticks_of "${lb[@]}") $(($(ticks_of "${all[@]}") + $(awk '{ sub(/^.*\) /, ""); print $14 + $15 }' "/proc/$$/stat")))" \
    "$(awk '$1 == "cpu" { print $2 + $3, $4 + $7, $8, $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat)"
}

# Every test prints one line: rate,p50_us,p99_us,errors,ops,sent_rate (fields may be empty).
t_wrk() {
  local host=$1 out
  shift
  out=$(ns_exec "$NS_CL" timeout $((dur + 30)) wrk -t2 -c64 -d"${dur}s" --timeout 2s --latency "$@" "http://$host/" 2>&1) || true
  echo "$out" >>"$log"
  awk 'function us(v) { return v ~ /us$/ ? v + 0 : v ~ /ms$/ ? v * 1000 : v ~ /s$/ ? v * 1e6 : v * 6e7 }
    $1 == "50%" { p50 = us($2) }
    $1 == "99%" { p99 = us($2) }
    / requests in / { ops = $1 }
    /^ *Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    /^ *Non-2xx/ { err += $NF }
    $1 == "Requests/sec:" { rate = $2 }
    END { printf "%s,%s,%s,%d,%s,\n", rate, p50, p99, err, ops }' <<<"$out"
}
t_lat() {
  local host=$1 mode=$2 out
  out=$(ns_exec "$NS_CL" timeout $((dur + 15)) "$LAB_BUILD/lat" "$host" 80 "$mode" 100 "$dur" 2>&1) || true
  echo "lat $mode: $out" >>"$log"
  awk -v d="$dur" '/^requests=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%.1f,%s,%s,%s,%s,\n", v["requests"] / d, v["p50_us"], v["p99_us"], v["errors"], v["requests"]; ok = 1 }
    END { if (!ok) print ",,,,," }' <<<"$out"
}
t_udp() {
  local host=$1 out
  out=$(ns_exec "$NS_CL" timeout $((dur + 30)) iperf3 -c "$host" -p 5201 -u -l 64 -b 0 -t "$dur" --connect-timeout 3000 2>&1) || true
  echo "$out" >>"$log"
  # final lines: "[  5]   0.00-10.00  sec ... LOST/TOTAL (x%)  sender|receiver"
  awk '/ (sender|receiver)$/ { for (i = 1; i < NF; i++) {
        if ($i ~ /^[0-9.]+-[0-9.]+$/) split($i, iv, "-"); if ($i ~ /^[0-9]+\/[0-9]+$/) split($i, lt, "/") }
      if ($NF == "sender") sent = lt[2] / iv[2]; else { got = lt[2] - lt[1]; secs = iv[2] } }
    END { if (secs > 0) printf "%.0f,,,0,%d,%.0f\n", got / secs, got, sent; else print ",,,,," }' <<<"$out"
}
has_lladdr() { ip -n "$NS_CL" neigh show "$1" | grep lladdr >/dev/null; }
sink_packets() {
  local n
  for n in "${RS_IDS[@]}"; do ns_exec "$(rs_ns "$n")" nft list counter netdev jvs_sink flood; done |
    awk '$1 == "packets" { s += $2 } END { print s + 0 }'
}
t_flood() {
  local host=$1 nh dst_mac src_mac src_ip before out
  nh=$(ip -n "$NS_CL" route get "$host" | awk '{ for (i = 1; i < NF; i++) if ($i == "via") print $(i + 1) }')
  nh=${nh:-$host}
  # The frames go to the next hop's MAC: resolve it (the balancer may not answer ICMP; ARP suffices).
  ns_exec "$NS_CL" ping -c1 -W1 "$nh" >/dev/null 2>&1 || true
  if ! wait_for has_lladdr "$nh" 3 2>>"$log"; then echo "flood: no ARP answer for $nh" >>"$log"; echo ",,,,,"; return; fi
  dst_mac=$(ip -n "$NS_CL" neigh show "$nh" | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')
  src_mac=$(ns_exec "$NS_CL" cat /sys/class/net/eth0/address)
  src_ip=$(ip -n "$NS_CL" -4 -o addr show dev eth0 | awk '{ sub(/\/.*/, "", $4); print $4 }')
  before=$(sink_packets)
  out=$(ns_exec "$NS_CL" timeout $((dur + 10)) "$LAB_BUILD/gen" eth0 "$dst_mac" "$src_mac" "$src_ip" "$host" 5000 "$dur" 100000000 2>&1) || true
  sleep 0.5   # frames still queued in a user-space balancer's rings
  echo "gen: $out" >>"$log"
  awk -v got=$(($(sink_packets) - before)) '/^sent=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%.0f,,,0,%d,%.0f\n", got / v["seconds"], got, v["pps"]; ok = 1 } END { if (!ok) print ",,,,," }' <<<"$out"
}

# Share of the director processes' CPU samples outside softirq. On veth the sender runs the receiver's
# softirq (bridge, the peer's TCP receive, its wake-ups) in its own context, so that work is charged to
# whoever sent; perf's call chains tell it apart. Empty without perf or without a director process.
own_share() {
  local data=$1
  perf script -i "$data" -F ip,sym 2>/dev/null |
    awk 'BEGIN { RS = "" } { n++; if ($0 ~ /(__do_softirq|handle_softirqs|net_rx_action)/) s++ }
      END { if (n >= 100) printf "%.3f", 1 - s / n }'
}

# measure REP TARGET TEST CMD...: runs one test (unless -t left it out), appends its CSV row and prints a
# progress line.
measure() {
  local rep=$1 target=$2 test=$3 s0 s1 row dir_us per_op perf_data="" perf_pid="" own=""
  local -a f lbp
  shift 3
  [[ -n ${wanted[$test]:-} ]] || return 0
  if [[ $test == ka || $test == close ]] && command -v perf >/dev/null; then
    mapfile -t lbp < <(ip netns pids "$NS_LB")
    if ((${#lbp[@]})); then
      perf_data=$(mktemp /tmp/jvs-bench-perf.XXXXXX)
      perf record -q -e cpu-clock -F 999 -g -p "$(IFS=,; echo "${lbp[*]}")" -o "$perf_data" -- sleep "$dur" \
        >/dev/null 2>&1 &
      perf_pid=$!
    fi
  fi
  s0=$(snapshot)
  row=$("$@")
  s1=$(snapshot)
  if [[ -n $perf_pid ]]; then
    wait "$perf_pid" || true
    own=$(own_share "$perf_data")
    rm -f "$perf_data"
  fi
  IFS=, read -ra f <<<"$row,"
  dir_us=$((($(cut -d' ' -f1 <<<"$s1") - $(cut -d' ' -f1 <<<"$s0")) * 1000000 / clk_tck))
  per_op=$(awk -v us="$dir_us" -v ops="${f[4]:-0}" 'BEGIN { if (ops > 0) printf "%.2f", us / ops }')
  # machine shares in % of all CPUs; foreign = busy time (usr + sys) not spent by our processes
  row="$rep,$(topology_of "$target"),$target,$test,$row,$dir_us,$per_op,$(awk -v a="$s0" -v b="$s1" 'BEGIN {
    split(a, x, " "); split(b, y, " "); for (i = 2; i <= 7; i++) d[i] = y[i] - x[i]; t = d[7] > 0 ? d[7] : 1
    foreign = d[3] + d[4] - d[2]; if (foreign < 0) foreign = 0
    printf "%.1f,%.1f,%.1f,%.1f,%.1f", 100 * d[3] / t, 100 * d[4] / t, 100 * d[5] / t, 100 * d[6] / t, 100 * foreign / t }'),$own"
  echo "$row" >>"$csv"
  printf '  %-9s rate %-10s p50/p99 us %s/%s errors %s director %s us/op\n' "$test" "${f[0]:-FAILED}" \
    "${f[1]:--}" "${f[2]:--}" "${f[3]:--}" "${per_op:--}"
}

# The JVS table of a lab, in ipvsadm syntax: VIP FORWARDING (-m or -g)
jvs_rules() {
  local vip=$1 fwd=$2 proto port sched n
  while read -r proto port sched; do
    echo "-A -$proto $vip:$port -s $sched"
    for n in "${RS_IDS[@]}"; do echo "-a -$proto $vip:$port -r $(rs_ip "$n"):$port $fwd"; done
  done <<'EOF'
t 80 rr
t 5201 sh
u 5201 sh
u 5000 rr
EOF
}

declare -A skipped=()
# prepare TARGET: sets the director up for TARGET and prints the address the client talks to.
prepare() {
  case $1 in
    direct) "$LAB_DIR/anchor.sh" off >>"$log" 2>&1 && rs_ip 1 ;;
    nft | haproxy | nginx) "$LAB_DIR/anchor.sh" "$1" >>"$log" 2>&1 && echo "$NAT_VIP" ;;
    jvs-nat)
      "$LAB_DIR/anchor.sh" none >>"$log" 2>&1 && jvs_start ext0,int0 && jvs_rules "$NAT_VIP" -m | jvsadm -R &&
        wait_for lab_curl "http://$NAT_VIP/" 10 && echo "$NAT_VIP" ;;
    cfwd-nat)
      "$LAB_DIR/anchor.sh" none >>"$log" 2>&1 &&
        cfwd_start &&
        wait_for lab_curl "http://$NAT_VIP/" 10 && echo "$NAT_VIP" ;;
    dr-direct) rs_ip 1 ;;
    cfwd-dr)
      cfwd_start && wait_for lab_curl "http://$DR_VIP/" 10 && echo "$DR_VIP" ;;
    jvs-dr)
      jvs_start eth0 && jvs_rules "$DR_VIP" -g | jvsadm -R && wait_for lab_curl "http://$DR_VIP/" 10 && echo "$DR_VIP" ;;
  esac
}

run_target() {
  local rep=$1 target=$2 host
  [[ -z ${skipped[$target]:-} ]] || return 0
  echo "rep $rep/$reps $target"
  if ! host=$(prepare "$target"); then
    skipped[$target]=1
    echo "  SKIPPED: $target could not be set up (reason above; log $log); it is left out of the remaining repetitions" >&2
    jvs_stop
    cfwd_stop >>"$log"
    return 0
  fi
  apply_nice
  # Warm-up (JIT, caches, neighbour tables), long enough that a subset of tests (-t) measures a warm director.
  ns_exec "$NS_CL" timeout 30 wrk -t2 -c64 -d4s "http://$host/" >/dev/null 2>&1 || true
  if [[ -n ${wanted[udp]:-} && $target != haproxy ]]; then
    ns_exec "$NS_CL" timeout 30 iperf3 -c "$host" -p 5201 -u -l 64 -b 0 -t 2 --connect-timeout 3000 >/dev/null 2>&1 || true
  fi
  measure "$rep" "$target" ka t_wrk "$host"
  measure "$rep" "$target" close t_wrk "$host" -H "Connection: close"
  measure "$rep" "$target" lat-ka t_lat "$host" ka
  measure "$rep" "$target" lat-close t_lat "$host" close
  [[ $target == haproxy ]] || measure "$rep" "$target" udp t_udp "$host"
  [[ $target == haproxy || $target == nginx ]] || measure "$rep" "$target" flood t_flood "$host"
  [[ $target != jvs-* ]] || jvs_stop
  [[ $target != cfwd-* ]] || cfwd_stop >>"$log"
}

apply_nice
echo "rep,topology,target,test,rate,p50_us,p99_us,errors,ops,sent_rate,dir_cpu_us,dir_us_per_op,usr_pct,sys_pct,softirq_pct,idle_pct,foreign_pct,dir_own_share" >"$csv"
echo "bench: ${targets[*]}, $reps x ${dur}s per test, NICE=${NICE:-unset}; raw rows $csv, tool output $log"
for topo in nat dr; do
  group=()
  for t in "${targets[@]}"; do [[ $(topology_of "$t") != "$topo" ]] || group+=("$t"); done
  ((${#group[@]})) || continue
  [[ $(lab_topology) == "$topo" ]] || "$LAB_DIR/up.sh" "$topo" >>"$log" 2>&1
  for ((rep = 1; rep <= reps; rep++)); do
    for t in "${group[@]}"; do run_target "$rep" "$t"; done
  done
done

{
  echo "bench.sh -r $reps -d $dur -a \"${targets[*]}\" -t \"$test_list\", NICE=${NICE:-unset}; $(date -Is); kernel $(uname -r), $(nproc) CPUs"
  echo
  "$LAB_DIR/summarize.sh" "$csv" "${targets[@]}"
} | tee "$results/bench-$stamp.md"

#!/usr/bin/env bash
# crossing.sh: where the time of one crossing of the JVS worker goes at low load, from kernel tracepoints.
# On the dr (default) or nat lab: warms JVS (or, with -t cfwd, fwd.c: the same packet I/O in C) up, then sends lat.c's 100 requests/s on one keep-alive connection
# while ftrace records the scheduler (sched_waking, sched_switch) and the worker's poll and sendto. Per frame
# the worker handles after sleeping in poll(2), it prints (µs, p50/p90/p99):
#   wake->run     from the wake-up (the frame landed in the ring) until the worker runs
#   user space    from the return of poll until the sendto kick: libc, JNA, the JVM and the Java pipeline
#   kick->wakee   from the kick until, inside it, the receiving process (nginx, or the client on a NAT reply)
#                 is woken: the bridge and the receiver's stack, which the direct path runs in the sender
# and, measured in the same run, lat's p50/p99 through JVS and to rs1 directly (the peer).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { echo "usage: crossing.sh [-l dr|nat] [-t jvs|cfwd] [-d SECONDS (1-60)] [-w WARM-UPS (1-9, 4 s of wrk each)]" >&2; exit 2; }
topo=dr target=jvs dur=4 warm=1
while getopts l:t:d:w:h opt; do
  case $opt in l) topo=$OPTARG ;; t) target=$OPTARG ;; d) dur=$OPTARG ;; w) warm=$OPTARG ;; *) usage ;; esac
done
[[ $topo =~ ^(dr|nat)$ && $target =~ ^(jvs|cfwd)$ && $dur =~ ^[1-9][0-9]?$ && $dur -le 60 && $warm =~ ^[1-9]$ ]] || usage
require_root
require_tools gcc wrk python3 curl nft
T=/sys/kernel/tracing
mounted_here=
if [[ ! -e $T/trace ]] && mount -t tracefs nodev "$T" 2>/dev/null; then mounted_here=1; fi
[[ -w $T/trace ]] || die "tracefs is not mounted at $T and could not be mounted"
[[ $target == cfwd || -x $JVS_HOME/bin/jvs ]] || die "no appliance at $JVS_HOME (build it, or set JVS_HOME)"
build_helpers lat fwd

buffer_kb=$(<"$T/buffer_size_kb")
buffer_kb=${buffer_kb%% *}  # "1408 (expanded: ...)" before the first use
tracing_was=$(<"$T/tracing_on")
events=(sched/sched_waking sched/sched_switch syscalls/sys_exit_poll syscalls/sys_enter_sendto syscalls/sys_exit_sendto)
trace_off() {
  echo 0 >"$T/tracing_on"
  local e
  for e in "${events[@]}"; do echo 0 >"$T/events/$e/enable"; done
  echo >"$T/trace"
  echo "$buffer_kb" >"$T/buffer_size_kb"
}
# Leave tracefs as found (trace_off leaves it off between the steps).
trace_restore() {
  trace_off
  echo "$tracing_was" >"$T/tracing_on"
  if [[ -n $mounted_here ]]; then umount "$T" || true; fi
}
initial=$(lab_topology)
on_exit 'trace_restore'
on_exit 'jvs_stop'
on_exit 'cfwd_stop >/dev/null'
# Leave the lab as found: down if it was down, else the topology that was up.
restore_lab() {
  if [[ -z $initial ]]; then "$LAB_DIR/down.sh" >/dev/null 2>&1
  elif [[ $(lab_topology) != "$initial" ]]; then "$LAB_DIR/up.sh" "$initial" >/dev/null 2>&1; fi
}
on_exit 'restore_lab'

lat_to() { ns_exec "$NS_CL" timeout $((dur + 15)) "$LAB_BUILD/lat" "$1" 80 ka 100 "$dur"; }

say "building the $topo lab"
"$LAB_DIR/up.sh" "$topo" >/dev/null
if [[ $topo == nat ]]; then
  "$LAB_DIR/anchor.sh" off >/dev/null
  direct=$(lat_to "$(rs_ip 1)")
  "$LAB_DIR/anchor.sh" none >/dev/null
  vip=$NAT_VIP fwd=-m dataplane=ext0,int0
else
  direct=""
  vip=$DR_VIP fwd=-g dataplane=eth0
fi
if [[ $target == jvs ]]; then
  jvs_start "$dataplane"
  {
    echo "-A -t $vip:80 -s rr"
    for n in "${RS_IDS[@]}"; do echo "-a -t $vip:80 -r $(rs_ip "$n"):80 $fwd"; done
  } | jvsadm -R
else
  cfwd_start
fi
wait_for lab_curl "http://$vip/" 10
for ((i = 0; i < warm; i++)); do ns_exec "$NS_CL" timeout 30 wrk -t2 -c64 -d4s "http://$vip/" >/dev/null 2>&1 || true; done

trace_off
echo 16384 >"$T/buffer_size_kb"
for e in "${events[@]}"; do echo 1 >"$T/events/$e/enable"; done
echo 1 >"$T/tracing_on"
through=$(lat_to "$vip")
echo 0 >"$T/tracing_on"
mkdir -p "$LAB_DIR/results"
trace=$LAB_DIR/results/crossing-$(date +%Y%m%d-%H%M%S).trace
cat "$T/trace" >"$trace"
trace_off
jvs_stop
cfwd_stop >/dev/null
[[ -n $direct ]] || direct=$(lat_to "$(rs_ip 1)")

echo "crossing.sh -l $topo -t $target -d $dur -w $warm; $(date -Is); kernel $(uname -r), $(nproc) CPUs"
echo "lat through $target: $through"
echo "lat to rs1 directly: $direct"
echo "trace: $trace"
python3 - "$trace" "$([[ $target == jvs ]] && echo jvs-worker- || echo fwd)" <<'EOF'
import re, sys
worker = sys.argv[2]  # the comm (prefix) of the forwarding thread
line = re.compile(r'\s*(.+?)-(\d+)\s+\[\d+\]\s+\S+\s+([\d.]+): (.*)')
woken = re.compile(r'sched_waking: comm=(.+) pid=(\d+) prio')
switched = re.compile(r'sched_switch: .* next_pid=(\d+) next_prio')
workers = set()
wake, polled, kicked = {}, {}, {}
runs, user, kernel = [], [], []
for text in open(sys.argv[1]):
    m = line.match(text)
    if not m:
        continue
    comm, pid, t, event = m.group(1), int(m.group(2)), float(m.group(3)) * 1e6, m.group(4)
    if comm.startswith(worker):
        workers.add(pid)
        wake.pop(pid, None)  # running: a wake-up whose switch-in was not seen is void
    w = woken.match(event)
    s = switched.match(event)
    if w:
        target = int(w.group(2))
        if w.group(1).startswith(worker):
            workers.add(target)
            wake[target] = t
        elif pid in kicked and not w.group(1).startswith(('ksoftirqd', 'jvs-', worker)):
            kernel.append(t - kicked.pop(pid))
    elif s:
        target = int(s.group(1))
        if target in wake:
            runs.append(t - wake.pop(target))
    elif pid not in workers:
        continue
    elif event.startswith('sys_poll -> ') and event != 'sys_poll -> 0x0':
        polled[pid] = t
    elif event.startswith('sys_sendto(') and pid in polled:
        user.append(t - polled.pop(pid))
        kicked[pid] = t
    elif event.startswith('sys_sendto -> '):
        kicked.pop(pid, None)  # a kick that woke no one (an ACK the receiver does not wait for)
def show(name, v):
    if not v:
        print(f'{name:13} no samples')
        return
    v.sort()
    n = len(v)
    print(f'{name:13} {n:5} frames  p50 {v[n // 2]:6.0f}  p90 {v[n * 9 // 10]:6.0f}  p99 {v[n * 99 // 100]:6.0f} µs')
show('wake->run', runs)
show('user space', user)
show('kick->wakee', kernel)
if not (runs and user and kernel):
    sys.exit('crossing.sh: the trace holds no complete crossing (was the forwarder forwarding?)')
EOF

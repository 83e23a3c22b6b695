# shellcheck shell=bash disable=SC2034  # the names are used by the scripts that source this file
# lib.sh: names, addresses and helpers shared by the lab scripts. Sourced, never run.
# Everything the lab creates is named jvs-* (namespaces) or lives under $LAB_TMP, so down.sh can find
# it and nothing else on the machine is touched.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/../.." && pwd)
LAB_TMP=/tmp/jvs-lab                # run-time files: configs, pid files, keys, logs, JVS state
LAB_BUILD=$LAB_DIR/build            # compiled helpers (gen, lat); gitignored
JVS_HOME=${JVS_HOME:-$REPO_DIR/appliance-image/target/jvs}

NS_CL=jvs-cl NS_LB=jvs-lb NS_SW=jvs-sw
RS_IDS=(1 2 3)
LAB_NAMESPACES=("$NS_CL" "$NS_LB" "$NS_SW" jvs-rs1 jvs-rs2 jvs-rs3)

# nat: client 10.77.1.0/24 | director | realservers 10.77.2.0/24. dr: one L2 segment 10.77.3.0/24.
NAT_CL=10.77.1.2 NAT_EXT=10.77.1.1 NAT_INT=10.77.2.1 NAT_VIP=10.77.1.100
DR_CL=10.77.3.2 DR_LB=10.77.3.1 DR_VIP=10.77.3.100

say() { echo "${0##*/}: $*"; }
die() { echo "${0##*/}: $*" >&2; exit 1; }
require_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (namespaces, veth, nftables)"; }
require_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: run $LAB_DIR/install.sh first"
}

rs_ns() { echo "jvs-rs$1"; }
ns_exec() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# The topology that is up (nat or dr), empty when the lab is down.
lab_topology() {
  if [[ -f $LAB_TMP/topology ]] && ns_exists "$NS_LB"; then cat "$LAB_TMP/topology"; fi
}
ns_exists() { ip netns list | awk -v ns="$1" '$1 == ns { found = 1 } END { exit !found }'; }
require_topology() { [[ $(lab_topology) == "$1" ]] || die "the $1 lab is not up: run $LAB_DIR/up.sh $1"; }

vip() { case $(lab_topology) in nat) echo "$NAT_VIP" ;; dr) echo "$DR_VIP" ;; esac; }
rs_ip() { case $(lab_topology) in nat) echo "10.77.2.1$1" ;; dr) echo "10.77.3.1$1" ;; esac; }

# wait_for CMD [ARG...] TIMEOUT: runs CMD every 0.2 s until it succeeds; fails after TIMEOUT seconds.
wait_for() {
  local timeout=${*: -1} deadline
  set -- "${@:1:$#-1}"
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "${0##*/}: timed out after ${timeout}s waiting for: $*" >&2; return 1; }
    sleep 0.2
  done
}

# on_exit CMD: runs CMD (a string) when the script exits, after the ones registered before it;
# $LAB_STATUS is then the script's exit status. Ctrl-C and kill exit through it too.
LAB_EXIT_CMDS=()
on_exit() {
  LAB_EXIT_CMDS+=("$1")
  trap 'LAB_STATUS=$?; run_exit_cmds' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
run_exit_cmds() {
  local c
  for c in "${LAB_EXIT_CMDS[@]}"; do eval "$c" || true; done
}

alive() { kill -0 "$1" 2>/dev/null; }

# Every process inside one of the lab's namespaces (the only processes the lab ever signals).
lab_pids() {
  local ns
  for ns in "${LAB_NAMESPACES[@]}"; do
    ns_exists "$ns" && ip netns pids "$ns"
  done
  return 0
}

# stop_pidfile FILE: TERM the process named in FILE (if it is alive in a lab namespace), KILL after 10 s.
stop_pidfile() {
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(<"$f")
  rm -f "$f"
  # (grep without -q: an early exit would SIGPIPE lab_pids and fail the pipeline under pipefail)
  [[ $pid =~ ^[0-9]+$ ]] && lab_pids | grep -x "$pid" >/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  wait_for not_alive "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
}
not_alive() { ! alive "$1"; }

# The client's ssh into a realserver (or a VIP) with the lab's key; HOST CMD...
lab_ssh() {
  local host=$1; shift
  ns_exec "$NS_CL" ssh -F /dev/null -i "$LAB_TMP/ssh/id_ed25519" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o BatchMode=yes -o ConnectTimeout=5 \
    "root@$host" "$@"
}

# The client's HTTP GET, bounded: URL
lab_curl() { ns_exec "$NS_CL" curl -fsS --max-time 2 "$1"; }

# JVS in the director namespace, with its state and control socket in the lab's temp dir.
JVS_ENV=(env "JVS_STATE=$LAB_TMP/jvs/state" "JVS_SOCKET=$LAB_TMP/jvs/jvs.sock")
jvsadm() { ns_exec "$NS_LB" "${JVS_ENV[@]}" "$JVS_HOME/bin/jvsadm" "$@"; }

# jvs_start DATAPLANE: starts the appliance on the given interfaces with an empty table; on failure
# prints why and returns 1 (the packet core's --dataplane may not exist yet).
jvs_start() {
  if [[ ! -x $JVS_HOME/bin/jvs ]]; then
    echo "JVS not found: $JVS_HOME/bin/jvs is missing (build the appliance image, or set JVS_HOME)" >&2
    return 1
  fi
  rm -rf "$LAB_TMP/jvs"
  mkdir -p "$LAB_TMP/jvs"
  if ! timeout 120 ip netns exec "$NS_LB" "${JVS_ENV[@]}" "$JVS_HOME/bin/jvs" start --dataplane "$1" \
      >"$LAB_TMP/jvs/start.out" 2>&1; then
    echo "JVS did not start: 'jvs start --dataplane $1' failed (does this JVS have the packet core's --dataplane?):" >&2
    sed 's/^/  | /' "$LAB_TMP/jvs/start.out" >&2
    jvs_stop
    return 1
  fi
}
jvs_stop() {
  [[ -x $JVS_HOME/bin/jvs && -d $LAB_TMP/jvs/state ]] || return 0
  timeout 60 ip netns exec "$NS_LB" "${JVS_ENV[@]}" "$JVS_HOME/bin/jvs" stop >/dev/null || true
}

# build_helpers NAME...: compiles $LAB_DIR/NAME.c into $LAB_BUILD/NAME when missing or older than its source.
build_helpers() {
  local p
  mkdir -p "$LAB_BUILD"
  for p in "$@"; do
    [[ -x $LAB_BUILD/$p && ! $LAB_DIR/$p.c -nt $LAB_BUILD/$p ]] || gcc -O2 -Wall -Wextra -o "$LAB_BUILD/$p" "$LAB_DIR/$p.c"
  done
}

# cfwd_start: fwd.c (the floor of a user-space forwarder) in the director of the lab that is up, towards rs1
# only, with the nftables ingress guard the JVS core installs (the kernel drops what the forwarder handles).
mac_of() { ns_exec "$1" cat /sys/class/net/eth0/address; }
cfwd_start() {
  local guard
  local -a args
  case $(lab_topology) in
    nat)
      args=(nat ext0 int0 "$NAT_VIP" "$(rs_ip 1)" "$(mac_of jvs-rs1)" "$NAT_CL" "$(mac_of "$NS_CL")")
      guard="chain in_ext { type filter hook ingress device \"ext0\" priority -500; policy accept; ip daddr $NAT_VIP counter drop; }
  chain in_int { type filter hook ingress device \"int0\" priority -500; policy accept; ip saddr $(rs_ip 1) ip daddr $NAT_CL counter drop; }" ;;
    dr)
      args=(dr eth0 "$DR_VIP" "$(mac_of jvs-rs1)")
      guard="chain in_ext { type filter hook ingress device \"eth0\" priority -500; policy accept; ip daddr $DR_VIP counter drop; }" ;;
    *) echo "cfwd_start: no lab is up" >&2; return 1 ;;
  esac
  ns_exec "$NS_LB" nft -f - <<<"table netdev jvs_cfwd {
  $guard
}" || return 1
  mkdir -p "$LAB_TMP"
  # (not through ns_exec: a function run with & is a subshell, and its pid would not be fwd's)
  ip netns exec "$NS_LB" "$LAB_BUILD/fwd" "${args[@]}" 86400 >"$LAB_TMP/cfwd.out" 2>&1 &
  echo $! >"$LAB_TMP/cfwd.pid"
}
# cfwd_stop: stops fwd, removes its guard and prints what it counted.
cfwd_stop() {
  [[ -f $LAB_TMP/cfwd.pid ]] || return 0
  stop_pidfile "$LAB_TMP/cfwd.pid"
  cat "$LAB_TMP/cfwd.out" 2>/dev/null || true
  ns_exec "$NS_LB" nft delete table netdev jvs_cfwd 2>/dev/null || true
}

#!/usr/bin/env bash
# up.sh nat|dr: builds the lab (namespaces, veths, bridge, addresses, sysctls) and starts the
# realservers' services (nginx, iperf3, sshd, the UDP :5000 sink). Always starts from a clean slate;
# on any failure it removes what it made. See README.md for the pictures.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${1:-}
[[ $mode == nat || $mode == dr ]] || die "usage: up.sh nat|dr"
require_root
require_tools ip ethtool nft nginx iperf3 curl ssh ssh-keygen sysctl /usr/sbin/sshd

"$LAB_DIR/down.sh" >/dev/null
# shellcheck disable=SC2016  # expanded when the trap runs
on_exit '((LAB_STATUS == 0)) || { echo "up.sh failed, removing the partial lab" >&2; "$LAB_DIR/down.sh" >/dev/null; }'
mkdir -m 0700 "$LAB_TMP"
echo "$mode" >"$LAB_TMP/topology"

for ns in "${LAB_NAMESPACES[@]}"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done

# sysctl NS KEY=VALUE...: inside a namespace.
sysctl_ns() { local ns=$1; shift; ns_exec "$ns" sysctl -qw "$@"; }

# A user-space balancer sees frames as they are on the wire: with checksum offload a veth hands over
# frames with incomplete checksums, with TSO/GSO/GRO 64 KiB super-packets. So all offloads off.
offloads_off() { ns_exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off sg off >/dev/null; }

# veth NS_A DEV_A NS_B DEV_B: a veth pair between two namespaces, MTU 1500, offloads off, up.
veth() {
  ip -n "$1" link add "$2" mtu 1500 type veth peer name "$4" netns "$3" mtu 1500
  offloads_off "$1" "$2"
  offloads_off "$3" "$4"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# The switch: one bridge, no STP (no listening delay), no netfilter on bridged frames (the switches
# exist only where br_netfilter is loaded or built in).
ip -n "$NS_SW" link add br0 type bridge stp_state 0 forward_delay 0
offloads_off "$NS_SW" br0
ip -n "$NS_SW" link set br0 up
if ns_exec "$NS_SW" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
  sysctl_ns "$NS_SW" net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
    net.bridge.bridge-nf-call-arptables=0
fi
port() { veth "$1" "$2" "$NS_SW" "$3"; ip -n "$NS_SW" link set "$3" master br0; }

# Conntrack (a module on stock Debian kernels) is needed by the nft anchor anyway; load it now so its
# sysctls exist. Global: nf_conntrack_max is only ever raised (the table is shared by all namespaces).
[[ -e /proc/sys/net/netfilter/nf_conntrack_max ]] || modprobe nf_conntrack
if (($(sysctl -n net.netfilter.nf_conntrack_max) < 1048576)); then sysctl -qw net.netfilter.nf_conntrack_max=1048576; fi
# Client and director open many short connections; director and realservers accept them.
for ns in "$NS_CL" "$NS_LB"; do sysctl_ns "$ns" net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1; done
for ns in "$NS_LB" jvs-rs1 jvs-rs2 jvs-rs3; do sysctl_ns "$ns" net.core.somaxconn=8192 net.ipv4.tcp_max_syn_backlog=8192; done
sysctl_ns "$NS_LB" net.netfilter.nf_conntrack_tcp_timeout_time_wait=10

if [[ $mode == nat ]]; then
  veth "$NS_CL" eth0 "$NS_LB" ext0
  ip -n "$NS_CL" addr add "$NAT_CL/24" dev eth0
  ip -n "$NS_CL" route add default via "$NAT_EXT"
  ip -n "$NS_LB" addr add "$NAT_EXT/24" dev ext0
  port "$NS_LB" int0 p-lb
  ip -n "$NS_LB" addr add "$NAT_INT/24" dev int0
  sysctl_ns "$NS_LB" net.ipv4.ip_forward=1
  for n in "${RS_IDS[@]}"; do
    port "$(rs_ns "$n")" eth0 "p-rs$n"
    ip -n "$(rs_ns "$n")" addr add "$(rs_ip "$n")/24" dev eth0
    ip -n "$(rs_ns "$n")" route add default via "$NAT_INT"   # NAT: replies go back through the director
  done
else
  port "$NS_CL" eth0 p-cl
  ip -n "$NS_CL" addr add "$DR_CL/24" dev eth0
  port "$NS_LB" eth0 p-lb
  ip -n "$NS_LB" addr add "$DR_LB/24" dev eth0
  sysctl_ns "$NS_LB" net.ipv4.ip_forward=0   # a DR director forwards frames, it does not route
  for n in "${RS_IDS[@]}"; do
    ns=$(rs_ns "$n")
    port "$ns" eth0 "p-rs$n"
    ip -n "$ns" addr add "$(rs_ip "$n")/24" dev eth0
    # The VIP is local (so the realserver accepts frames the director hands it) but never announced:
    # only the director may answer ARP for it (shared/seeds/001).
    ip -n "$ns" addr add "$DR_VIP/32" dev lo
    for dev in all eth0 lo; do sysctl_ns "$ns" "net.ipv4.conf.$dev.arp_ignore=1" "net.ipv4.conf.$dev.arp_announce=2"; done
  done
fi

# sshd refuses to start without its privilege-separation directory, which the ssh service creates
# when it runs (it does not here); an empty root-owned directory on the /run tmpfs.
[[ -d /run/sshd ]] || mkdir -m 0755 /run/sshd
mkdir -m 0700 "$LAB_TMP/ssh"
ssh-keygen -q -t ed25519 -N '' -C jvs-lab -f "$LAB_TMP/ssh/id_ed25519"
cp "$LAB_TMP/ssh/id_ed25519.pub" "$LAB_TMP/ssh/authorized_keys"

start_realserver() {
  local n=$1 ns addr dir
  ns=$(rs_ns "$n") addr=$(rs_ip "$n") dir=$LAB_TMP/rs$n
  mkdir -p "$dir/nginx-tmp"

  cat >"$dir/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 10000000;
  default_type text/plain;
  client_body_temp_path $dir/nginx-tmp/body;
  proxy_temp_path $dir/nginx-tmp/proxy;
  fastcgi_temp_path $dir/nginx-tmp/fastcgi;
  uwsgi_temp_path $dir/nginx-tmp/uwsgi;
  scgi_temp_path $dir/nginx-tmp/scgi;
  server {
    listen 80 backlog=8192;
    location = /whoami { return 200 "\$remote_addr \$remote_port\n"; }
    location / { return 200 "hello from rs$n ($addr)\n"; }
  }
}
EOF
  ns_exec "$ns" nginx -e "$dir/nginx-error.log" -c "$dir/nginx.conf"

  # iperf3's UDP server connect()s back to the client, which picks the source address by route: in DR
  # that would be the RIP, not the VIP the client talks to. So in DR one server is bound to each.
  ns_exec "$ns" iperf3 -s -D -p 5201 -B "$addr" --pidfile "$dir/iperf3.pid" --logfile "$dir/iperf3.log"
  if [[ $mode == dr ]]; then
    ns_exec "$ns" iperf3 -s -D -p 5201 -B "$DR_VIP" --pidfile "$dir/iperf3-vip.pid" --logfile "$dir/iperf3-vip.log"
  fi

  ssh-keygen -q -t ed25519 -N '' -C "jvs-lab-rs$n" -f "$dir/ssh_host_ed25519_key"
  cat >"$dir/sshd_config" <<EOF
Port 22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
PermitRootLogin yes
PubkeyAuthentication yes
AuthorizedKeysFile $LAB_TMP/ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
# the key lives under /tmp (world-writable), which StrictModes would refuse
StrictModes no
EOF
  ns_exec "$ns" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"

  # The raw flood's sink: count and drop UDP :5000 before the IP stack sees it.
  ns_exec "$ns" nft -f - <<EOF
table netdev jvs_sink {
  counter flood { }
  chain ingress {
    type filter hook ingress device "eth0" priority 0; policy accept;
    ether type ip udp dport 5000 counter name "flood" drop
  }
}
EOF
}

for n in "${RS_IDS[@]}"; do start_realserver "$n"; done

listening() { [[ -n $(ns_exec "$1" ss -Hltn "sport = :$2") ]]; }
for n in "${RS_IDS[@]}"; do
  wait_for listening "$(rs_ns "$n")" 22 10
  wait_for listening "$(rs_ns "$n")" 5201 10
  wait_for lab_curl "http://$(rs_ip "$n")/" 10
  say "rs$n: $(lab_curl "http://$(rs_ip "$n")/")"
done
say "$mode lab is up (namespaces ${LAB_NAMESPACES[*]}; run-time files in $LAB_TMP)"

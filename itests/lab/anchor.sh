#!/usr/bin/env bash
# anchor.sh off|nft|haproxy|nginx|none: switches the director of the nat lab to one of the kernel or
# proxy anchors of packet-io-baseline.md 1.2, removing the previous one first, then checks it with curl.
#   off      plain kernel routing (ip_forward=1), no VIP: the client talks to rs1 directly ("direct")
#   nft      VIP on ext0 + nftables DNAT: :80 and udp :5000 round robin (numgen), :5201 tcp+udp jhash saddr
#   haproxy  VIP on ext0 + HAProxy mode tcp (roundrobin; :5201 balance source), nbthread 2
#   nginx    VIP on ext0 + nginx stream, 2 workers (round robin; :5201 tcp+udp hash $remote_addr)
#   none     no anchor at all and kernel forwarding off: what a user-space balancer (JVS) needs, so a
#            frame it forwards is not forwarded a second time by the kernel
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

anchor=${1:-}
[[ $anchor =~ ^(off|nft|haproxy|nginx|none)$ ]] || die "usage: anchor.sh off|nft|haproxy|nginx|none"
require_root
require_topology nat
require_tools nft haproxy nginx conntrack curl
dir=$LAB_TMP/lb
mkdir -p "$dir"
rs=("$(rs_ip 1)" "$(rs_ip 2)" "$(rs_ip 3)")

clear_anchors() {
  stop_pidfile "$dir/haproxy.pid"
  stop_pidfile "$dir/nginx.pid"
  if ns_exec "$NS_LB" nft list table ip jvs_anchor >/dev/null 2>&1; then ns_exec "$NS_LB" nft delete table ip jvs_anchor; fi
  if [[ -n $(ip -n "$NS_LB" -4 addr show dev ext0 to "$NAT_VIP/32") ]]; then ip -n "$NS_LB" addr del "$NAT_VIP/32" dev ext0; fi
  # Stale DNAT entries would keep steering established flows of the previous anchor.
  ns_exec "$NS_LB" conntrack -F >/dev/null 2>&1 || true
}

start_nft() {
  local map="{ 0 : ${rs[0]}, 1 : ${rs[1]}, 2 : ${rs[2]} }"
  ns_exec "$NS_LB" nft -f - <<EOF
table ip jvs_anchor {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr $NAT_VIP tcp dport 80 dnat to numgen inc mod 3 map $map
    # iperf3 needs its control (tcp) and data (udp) connections on the same realserver: one rule,
    # so one hash seed (two jhash expressions without a seed each get a random one)
    ip daddr $NAT_VIP meta l4proto { tcp, udp } th dport 5201 dnat to jhash ip saddr mod 3 map $map
    ip daddr $NAT_VIP udp dport 5000 dnat to numgen inc mod 3 map $map
  }
}
EOF
}

start_haproxy() {
  cat >"$dir/haproxy.cfg" <<EOF
global
  nbthread 2
  # the VM's file-descriptor hard limit is 20000: two sockets per connection
  maxconn 8000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend web
  bind $NAT_VIP:80
  default_backend web
backend web
  balance roundrobin
  server rs1 ${rs[0]}:80
  server rs2 ${rs[1]}:80
  server rs3 ${rs[2]}:80
# HAProxy does not balance UDP: iperf3 over it is tcp only
frontend iperf
  bind $NAT_VIP:5201
  default_backend iperf
backend iperf
  balance source
  server rs1 ${rs[0]}:5201
  server rs2 ${rs[1]}:5201
  server rs3 ${rs[2]}:5201
EOF
  ns_exec "$NS_LB" haproxy -q -c -f "$dir/haproxy.cfg"
  ns_exec "$NS_LB" haproxy -D -p "$dir/haproxy.pid" -f "$dir/haproxy.cfg"
}

start_nginx() {
  mkdir -p "$dir/nginx-tmp"
  cat >"$dir/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
user www-data;
worker_processes 2;
worker_rlimit_nofile 18000;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
events { worker_connections 8000; }
stream {
  upstream web { server ${rs[0]}:80; server ${rs[1]}:80; server ${rs[2]}:80; }
  upstream iperf {
    hash \$remote_addr consistent;
    server ${rs[0]}:5201; server ${rs[1]}:5201; server ${rs[2]}:5201;
  }
  server { listen $NAT_VIP:80 backlog=8192; proxy_pass web; }
  server { listen $NAT_VIP:5201; proxy_pass iperf; }
  server { listen $NAT_VIP:5201 udp; proxy_pass iperf; }
}
EOF
  ns_exec "$NS_LB" nginx -q -t -e "$dir/nginx-error.log" -c "$dir/nginx.conf"
  ns_exec "$NS_LB" nginx -e "$dir/nginx-error.log" -c "$dir/nginx.conf"
}

clear_anchors
if [[ $anchor == none ]]; then
  ns_exec "$NS_LB" sysctl -qw net.ipv4.ip_forward=0
  say "none: no VIP, no DNAT, no proxy, kernel forwarding off in $NS_LB"
  exit 0
fi
ns_exec "$NS_LB" sysctl -qw net.ipv4.ip_forward=1
if [[ $anchor == off ]]; then
  url=http://${rs[0]}/
else
  ip -n "$NS_LB" addr add "$NAT_VIP/32" dev ext0   # the kernel (or the proxy's socket) answers for the VIP
  "start_$anchor"
  url=http://$NAT_VIP/
fi
wait_for lab_curl "$url" 10 || die "$anchor: $url does not answer"
for _ in 1 2 3; do say "$anchor: $url -> $(lab_curl "$url")"; done

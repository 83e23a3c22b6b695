#!/usr/bin/env bash
# down.sh: removes everything the lab made: stops every process in the jvs-* namespaces (JVS, the
# proxies, nginx, iperf3, sshd, load generators), deletes the namespaces (and with them the veths, the
# bridge, nftables and conntrack state) and $LAB_TMP. Safe to run twice, or on a half-built lab.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_root

# Let JVS save its table and stop cleanly if it is running; everything else is signalled.
jvs_stop

none_alive() { local p; for p in "$@"; do ! alive "$p" || return 1; done; }
mapfile -t pids < <(lab_pids)
if ((${#pids[@]})); then
  say "stopping ${#pids[@]} lab processes"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  if ! wait_for none_alive "${pids[@]}" 10 2>/dev/null; then
    mapfile -t pids < <(lab_pids)
    ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
fi

for ns in "${LAB_NAMESPACES[@]}"; do
  if ns_exists "$ns"; then ip netns del "$ns"; fi
done
rm -rf "$LAB_TMP"
say "lab is down"

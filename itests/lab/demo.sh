#!/usr/bin/env bash
# demo.sh: see JVS balance real traffic. Builds the nat lab, starts the appliance in the director
# namespace owning ext0 and int0, adds a round-robin HTTP service with three masquerading realservers
# (ipvsadm syntax), sends nine requests from the client and shows who answered, the counters and the
# connection table; then stops JVS and removes the lab, whatever happened.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_root

cleanup() { jvs_stop; "$LAB_DIR/down.sh" >/dev/null; }
on_exit cleanup

"$LAB_DIR/install.sh"
"$LAB_DIR/up.sh" nat
"$LAB_DIR/anchor.sh" none
say "starting JVS ($JVS_HOME) in $NS_LB with data-plane interfaces ext0,int0"
jvs_start ext0,int0 || die "JVS is not ready for the lab yet (see above); the lab itself works: try bench.sh -a \"direct nft\""

run() { echo "# jvsadm $*"; jvsadm "$@"; }
run -A -t "$NAT_VIP:80" -s rr
for n in "${RS_IDS[@]}"; do run -a -t "$NAT_VIP:80" -r "$(rs_ip "$n"):80" -m; done

failed=0
declare -A served=()
for i in {1..9}; do
  if answer=$(lab_curl "http://$NAT_VIP/"); then
    echo "request $i: $answer"
    rs=${answer#hello from }; rs=${rs%% *}; served[$rs]=$((${served[$rs]:-0} + 1))
  else echo "request $i: no answer"; failed=$((failed + 1)); fi
done
run -Ln --stats
run -Lnc
((failed == 0)) || die "$failed of 9 requests failed"
# rr over three realservers: three answers each, or the balancing is wrong.
for n in "${RS_IDS[@]}"; do
  [[ ${served[rs$n]:-0} -eq 3 ]] || die "rr: rs$n answered ${served[rs$n]:-0} of 9 requests, not 3"
done
say "each realserver answered 3 of the 9 requests, as rr should"

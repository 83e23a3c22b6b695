#!/usr/bin/env bash
# ssh.sh HOST [CMD...]: ssh from the lab's client (jvs-cl) as root with the lab's key, into a realserver
# or through a VIP. Which realserver answered: ssh.sh VIP ip -o -4 addr show dev eth0
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_root
[[ $# -ge 1 ]] || die "usage: ssh.sh HOST [CMD...]"
[[ -n $(lab_topology) ]] || die "the lab is not up: run $LAB_DIR/up.sh nat|dr"
lab_ssh "$@"

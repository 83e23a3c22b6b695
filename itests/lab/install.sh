#!/usr/bin/env bash
# install.sh: installs the Debian packages the lab and the benchmark need, only those missing.
# Packages that come with a system service (nginx, haproxy, ssh) get it stopped and disabled right
# after installation: the lab runs its own instances inside its namespaces, never in the root one.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_root

packages=(
  iproute2 procps ethtool nftables conntrack curl iputils-ping   # topology, sysctls, checks
  nginx-light libnginx-mod-stream haproxy           # realservers' web server; proxy anchors
  wrk iperf3 gcc libc6-dev                          # load generators; gen.c and lat.c
  openssh-server openssh-client                     # ssh through the balancer
  tcpdump                                           # looking at the frames when something is wrong
  linux-perf                                        # bench.sh: director CPU outside softirq
)
# package (nginx-light pulls in nginx) -> the service its maintainer scripts may have started
declare -A service_of=([nginx]=nginx [haproxy]=haproxy [openssh-server]=ssh)

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]} == 0)); then
  say "nothing to install: ${packages[*]} are present"
  exit 0
fi

# Only services of packages installed now are touched: one that was there before is the owner's.
new_services=()
for p in "${!service_of[@]}"; do installed "$p" || new_services+=("${service_of[$p]}"); done

say "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

stop_service() {
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now "$1.service" 2>/dev/null || true
    [[ $1 != ssh ]] || systemctl disable --now ssh.socket 2>/dev/null || true
  else
    service "$1" stop >/dev/null 2>&1 || true
    update-rc.d "$1" disable >/dev/null 2>&1 || true
  fi
}
for s in "${new_services[@]}"; do
  stop_service "$s"
  say "stopped and disabled the system service $s (the lab runs its own)"
done
say "installed ${missing[*]}"

#!/usr/bin/env bash
# A /24 with 3 live hosts: a network namespace behind a veth pair holds 10.232.0.2-4 (listeners
# on ports 22 and 80 of each, everything else closed); the other 253 addresses of 10.232.0.0/24
# do not exist (no ARP answer). Compares `parley scan 10.232.0.0/24` with `nmap -sT
# 10.232.0.0/24` (both: host discovery, then the 1000 most common ports), first host by host and
# port by port, then timed with hyperfine. Needs root, iproute2, nmap, python3 and hyperfine.
#   scan/bench/subnet.sh [RUNS]          (default 5 runs of each)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${1:-5}"
NS=pscanbench

cleanup() {
    [[ -n "${LISTENERS:-}" ]] && kill "$LISTENERS" 2>/dev/null || true
    ip netns delete "$NS" 2>/dev/null || true
    ip link delete pscanbencha 2>/dev/null || true
}
cleanup
trap cleanup EXIT
ip netns add "$NS"
ip link add pscanbencha type veth peer name pscanbenchb
ip link set pscanbenchb netns "$NS"
ip addr add 10.232.1.1/24 dev pscanbencha
ip link set pscanbencha up
ip route add 10.232.0.0/24 dev pscanbencha
for a in 2 3 4; do ip netns exec "$NS" ip addr add "10.232.0.$a/24" dev pscanbenchb; done
ip netns exec "$NS" ip link set lo up
ip netns exec "$NS" ip link set pscanbenchb up
ip netns exec "$NS" ip route add 10.232.1.0/24 dev pscanbenchb
ip netns exec "$NS" python3 - <<'PY' &
import socket, time
ss = []
for port in (22, 80):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(1024); ss.append(s)
time.sleep(3600)
PY
LISTENERS=$!
sleep 0.5

"$JAVA" -jar "$JAR" scan 10.232.0.0/24 --no-progress --format grep | grep -v '^#' | grep Ports: \
    | sed 's/ ()//; s/\tIgnored.*//' | sort > "$OUT/subnet-parley.txt"
nmap -sT 10.232.0.0/24 -oG - | grep Ports: | sed 's/ ()//; s/\tIgnored.*//' | sort > "$OUT/subnet-nmap.txt"
# compare open ports host by host (services are named by each tool's own table)
strip() { sed -E 's#([0-9]+/[a-z]+)/tcp//[^/]*///#\1#g' "$1"; }
if diff <(strip "$OUT/subnet-nmap.txt") <(strip "$OUT/subnet-parley.txt"); then
    echo "hosts up and open ports: same in both ($(wc -l < "$OUT/subnet-parley.txt") hosts)"
else
    echo "results differ (above)"
fi
timed subnet --runs "$RUNS" \
    "$JAVA -jar $JAR scan 10.232.0.0/24 --no-progress" \
    "nmap -sT 10.232.0.0/24"

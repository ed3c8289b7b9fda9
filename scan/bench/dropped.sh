#!/usr/bin/env bash
# A target where most ports silently drop SYNs: inside a private network namespace (loopback
# only), nftables drops TCP to ports 1-1000 of 127.0.0.1 except 22 and 80, which have
# listeners (open), and 443, which has none (closed). Checks that `parley scan -p 1-1000` and
# `nmap -sT --min-rate 10000 -p 1-1000` report the same state for every port, then times both.
# Needs root, nftables, nmap, python3 and hyperfine.
#   scan/bench/dropped.sh [RUNS]         (default 5 runs of each)
set -euo pipefail
if [[ "${PARLEY_BENCH_NETNS:-}" != inside ]]; then
    PARLEY_BENCH_NETNS=inside exec unshare --net "$0" "$@"
fi
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${1:-5}"

ip link set lo up
nft -f - <<'NFT'
table inet parley_bench {
    chain input {
        type filter hook input priority 0;
        tcp dport { 22, 80, 443 } accept
        tcp dport 1-1000 drop
    }
}
NFT
python3 - <<'PY' &
import socket, time
ss = []
for port in (22, 80):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(1024); ss.append(s)
time.sleep(3600)
PY
LISTENERS=$!
trap 'kill $LISTENERS' EXIT
sleep 0.5

"$JAVA" -jar "$JAR" scan 127.0.0.1 -p 1-1000 --no-progress --show all --format csv \
    | awk -F, 'NR > 1 { print $3 "/" $4 }' > "$OUT/dropped-parley.txt"
nmap -sT --min-rate 10000 -p 1-1000 -oG - 127.0.0.1 | grep -o 'Ports: .*' | sed 's/^Ports: //' \
    | tr ',' '\n' | awk -F/ '{ gsub(/ /, "", $1); print $1 "/" $2 }' > "$OUT/dropped-nmap-listed.txt"
# nmap lists only the ports it does not fold into "Ignored State: filtered": fill those in
python3 - "$OUT" <<'PY'
import sys
out = sys.argv[1]
listed = dict(l.strip().split("/") for l in open(f"{out}/dropped-nmap-listed.txt") if l.strip())
with open(f"{out}/dropped-nmap.txt", "w") as f:
    for p in range(1, 1001):
        f.write(f"{p}/{listed.get(str(p), 'filtered')}\n")
PY
if diff -q "$OUT/dropped-nmap.txt" "$OUT/dropped-parley.txt" >/dev/null; then
    echo "states of ports 1-1000: same in both ($(grep -c open "$OUT/dropped-parley.txt") open," \
        "$(grep -c closed "$OUT/dropped-parley.txt") closed, $(grep -c filtered "$OUT/dropped-parley.txt") filtered)"
else
    echo "states differ:"; diff "$OUT/dropped-nmap.txt" "$OUT/dropped-parley.txt" | head -20
fi
timed dropped --runs "$RUNS" \
    "$JAVA -jar $JAR scan 127.0.0.1 -p 1-1000 --no-progress" \
    "nmap -sT --min-rate 10000 -p 1-1000 127.0.0.1"

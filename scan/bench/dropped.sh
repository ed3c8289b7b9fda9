#!/usr/bin/env bash
# A target that silently drops SYNs: inside a private network namespace (loopback only), an
# nftables rule drops TCP to ports 1-1000 of 127.0.0.1. Times `parley scan -p 1-1000` against
# `nmap -sT --min-rate 10000 -p 1-1000`. Needs root, nftables, nmap and hyperfine.
#   scan/bench/dropped.sh [RUNS]         (default 5 runs of each)
set -euo pipefail
if [[ "${PARLEY_BENCH_NETNS:-}" != inside ]]; then
    PARLEY_BENCH_NETNS=inside exec unshare --net "$0" "$@"
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/app/target/parley.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RUNS="${1:-5}"
OUT="${OUT:-/tmp/parley-scan-bench}"
mkdir -p "$OUT"

ip link set lo up
nft -f - <<'NFT'
table inet parley_bench {
    chain input {
        type filter hook input priority 0;
        tcp dport 1-1000 drop
    }
}
NFT

"$JAVA" -jar "$JAR" scan 127.0.0.1 -p 1-1000 --no-progress | tail -n 1
nmap -sT --min-rate 10000 -p 1-1000 127.0.0.1 | grep -E 'filtered|Nmap done'
hyperfine -N --runs "$RUNS" --export-json "$OUT/dropped.json" \
    "$JAVA -jar $JAR scan 127.0.0.1 -p 1-1000 --no-progress" \
    "nmap -sT --min-rate 10000 -p 1-1000 127.0.0.1"
python3 - "$OUT/dropped.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]}: median {r["median"]:.3f} s, min {r["min"]:.3f}, max {r["max"]:.3f} ({len(r["times"])} runs)')
PY

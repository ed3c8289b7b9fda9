#!/usr/bin/env bash
# Full connect scan of 127.0.0.1, ports 1-65535: `parley scan` against `nmap -sT -p-`.
# First checks that both report the same open ports, then times both, alternating, with
# hyperfine. Needs nmap and hyperfine (Debian: apt-get install -y nmap hyperfine) and the
# jar (./parley builds it). Run it on an otherwise idle machine.
#   scan/bench/loopback.sh [RUNS]        (default 10 runs of each)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/app/target/parley.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
RUNS="${1:-10}"
OUT="${OUT:-/tmp/parley-scan-bench}"
mkdir -p "$OUT"
[[ -f "$JAR" ]] || { echo "build first: ./parley --version" >&2; exit 1; }

parley_open() { "$JAVA" -jar "$JAR" scan 127.0.0.1 -p- --no-progress --format csv | awk -F, 'NR > 1 { print $3 }'; }
nmap_open() { nmap -sT -p- 127.0.0.1 -oG - | grep -o '[0-9]*/open/' | cut -d/ -f1; }

# Listeners of other programs may come and go between two scans: compare up to three times.
same=no
for attempt in 1 2 3; do
    parley_open > "$OUT/parley-open.txt"
    nmap_open > "$OUT/nmap-open.txt"
    if diff -u "$OUT/nmap-open.txt" "$OUT/parley-open.txt" > "$OUT/open-diff.txt"; then same=yes; break; fi
done
echo "open ports: parley $(wc -l < "$OUT/parley-open.txt"), nmap $(wc -l < "$OUT/nmap-open.txt"), same list: $same"
[[ "$same" == yes ]] || cat "$OUT/open-diff.txt"

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/loopback.json" \
    "$JAVA -jar $JAR scan 127.0.0.1 -p- --no-progress" \
    "nmap -sT -p- 127.0.0.1"
python3 - "$OUT/loopback.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]}: median {r["median"]:.3f} s, min {r["min"]:.3f}, max {r["max"]:.3f} ({len(r["times"])} runs)')
PY

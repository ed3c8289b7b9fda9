#!/usr/bin/env bash
# Full connect scan of 127.0.0.1, ports 1-65535: `parley scan` against `nmap -sT -p-`.
# First checks that both report the same open ports, then times both, alternating, with
# hyperfine. Needs nmap and hyperfine (Debian: apt-get install -y nmap hyperfine) and the
# jar (./parley builds it). Run it on an otherwise idle machine.
#   scan/bench/loopback.sh [RUNS]        (default 10 runs of each)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${1:-10}"

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

timed loopback --warmup 2 --runs "$RUNS" \
    "$JAVA -jar $JAR scan 127.0.0.1 -p- --no-progress" \
    "nmap -sT -p- 127.0.0.1"

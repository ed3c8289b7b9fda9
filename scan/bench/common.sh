# Sourced by the scanner's benchmark scripts: where the jar and java are, where results go,
# and `timed NAME HYPERFINE-ARGS… COMMANDS…`, which times the commands with hyperfine into
# $OUT/NAME.json and prints each one's median, fastest and slowest run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="$ROOT/app/target/parley.jar"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT="${OUT:-/tmp/parley-scan-bench}"
mkdir -p "$OUT"
[[ -f "$JAR" ]] || { echo "build first: ./parley --version" >&2; exit 1; }

timed() {
    local name="$1"
    shift
    hyperfine -N --export-json "$OUT/$name.json" "$@"
    python3 - "$OUT/$name.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]}: median {r["median"]:.3f} s, min {r["min"]:.3f}, max {r["max"]:.3f} ({len(r["times"])} runs)')
PY
}

#!/usr/bin/env bash
# Measures Parley (each engine) and the peer servers side by side with `parley bench`, and
# writes one JSON report per run plus a summary of medians (bench/summarize.py).
#
#   bench/run-benchmarks.sh [--targets "parley:threads parley:virtual ngircd inspircd"]
#                           [--scenarios "flood rate idle"] [--reps 3] [--out DIR]
#                           [--transports "plain tls ws" | --tls | --websocket] ...
#
# Every run starts a fresh server, measures it, and stops it, all while holding the shared
# build lock (/tmp/parley-build.lock), so nothing else built on this machine distorts it.
# A locked stretch stays under about three minutes; the lock is released between stretches.
# Adding an engine is one more target: --targets "parley:nio" re-measures just that one into
# the same --out directory, and summarize.py puts it beside the rest. --transports "plain tls"
# measures every run over plain text and over TLS; a TLS run's report is named
# <scenario>-<target>-tls-n<clients>-r<rep>.json and says "tls": true (plain ones "tls": false).
# --transports ws (or --websocket) measures Parley over WebSocket: the server also listens for
# HTTP (--http-port, 13 above its IRC port) and every bench client speaks IRC over WebSocket at
# /irc; peers have no WebSocket and are skipped. Its reports are named …-ws-… and say
# "websocket": true.
# --parley-args "ARGS" adds ARGS to every Parley server's command line (for example
# "--no-history", to measure Parley with the peers' features); each report says which
# ("parleyArgs"). Put such runs in their own --out directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="${PARLEY_BUILD_LOCK:-/tmp/parley-build.lock}"
RUNDIR="${PARLEY_PEERS_DIR:-/tmp/parley-peers}"
PARLEY="$ROOT/parley"   # finds a JDK >= 21 and runs app/target/parley.jar

# settings travel to the locked per-run invocation of this script in PB_* variables
TARGETS="${PB_TARGETS:-parley:threads parley:virtual ngircd inspircd}"
SCENARIOS="${PB_SCENARIOS:-flood rate idle}"
FLOOD_CLIENTS="${PB_FLOOD_CLIENTS:-200 1000 10000}"
RATE_CLIENTS="${PB_RATE_CLIENTS:-1000}"
RATE="${PB_RATE:-200}"
IDLE_CLIENTS="${PB_IDLE_CLIENTS:-10000 19000}"
REPS="${PB_REPS:-3}"
FIRST_REP="${PB_FIRST_REP:-1}"
DURATION="${PB_DURATION:-10s}"
WARMUP="${PB_WARMUP:-2s}"
WINDOW="${PB_WINDOW:-64}"
SENDERS="${PB_SENDERS:-16}"
SOURCES="${PB_SOURCES:-127.0.0.2-127.0.0.9}"
DRAIN="${PB_DRAIN:-10s}"
# CPU pinning: on a 2-core machine the server gets one core and the load generator the other,
# so a server with thousands of runnable threads cannot starve the generator (the Linux
# scheduler shares CPU per thread). Set PB_SERVER_CPUS= and PB_BENCH_CPUS= (empty) to not pin.
SERVER_CPUS="${PB_SERVER_CPUS-0}"
BENCH_CPUS="${PB_BENCH_CPUS-1}"
OUT="${PB_OUT:-$ROOT/bench/results}"
TRANSPORTS="${PB_TRANSPORTS:-plain}"
PARLEY_ARGS="${PB_PARLEY_ARGS:-}"

# taskset execs the command, so a server started through it keeps the PID we read /proc for
PIN_SERVER=()
PIN_BENCH=()
[[ -n "$SERVER_CPUS" ]] && PIN_SERVER=(taskset -c "$SERVER_CPUS")
[[ -n "$BENCH_CPUS" ]] && PIN_BENCH=(taskset -c "$BENCH_CPUS")

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    cat <<EOF
Options (defaults in brackets):
  --targets LIST        servers: parley:<engine>, ngircd, inspircd [$TARGETS]
  --scenarios LIST      flood, rate, idle [$SCENARIOS]
  --transports LIST     plain, tls, ws [$TRANSPORTS]: TLS runs start Parley with only a TLS
                        listener (its self-signed certificate) and InspIRCd with ssl_gnutls;
                        ngircd has no TLS configuration here and is skipped
  --tls                 the same as --transports tls
  --websocket           the same as --transports ws: Parley over WebSocket (ws://…/irc on
                        its HTTP port); ngircd and InspIRCd are skipped
  --parley-args ARGS    added to every Parley server's command line, e.g. "--no-history" [$PARLEY_ARGS]
  --flood-clients LIST  client counts for flood runs [$FLOOD_CLIENTS]
  --rate-clients N      clients for the open-loop run [$RATE_CLIENTS]
  --rate R              open-loop messages per second in total [$RATE]
  --idle-clients LIST   client counts for idle-memory runs, 100 per channel [$IDLE_CLIENTS]
  --reps N              repetitions of each run [$REPS]
  --first-rep N         number the repetitions from N (to add repetitions later) [$FIRST_REP]
  --duration D          measured time per run [$DURATION]
  --warmup D            warm-up per run [$WARMUP]
  --window W            flood window per sender [$WINDOW]
  --drain D             wait for messages still on their way after sending stops [$DRAIN]
  --out DIR             where reports go [$OUT]
Environment: PB_SERVER_CPUS [$SERVER_CPUS] and PB_BENCH_CPUS [$BENCH_CPUS] pin the server and
the load generator (taskset); set them empty to not pin.
EOF
}

one_run() { # target scenario clients rep transport outfile — runs under the lock
    local target="$1" scenario="$2" clients="$3" rep="$4" transport="$5" outfile="$6"
    ulimit -n "$(ulimit -Hn)"
    local port pid kind engine="" k datadir=""
    case "$target" in
        parley:*) kind=parley; engine="${target#parley:}"; port=16667 ;;
        ngircd) kind=ngircd; port=16668 ;;
        inspircd) kind=inspircd; port=16669 ;;
        *) echo "unknown target $target" >&2; return 2 ;;
    esac
    if [[ "$transport" == tls ]]; then
        port=$(( port + 30 ))   # 16697 Parley, 16699 InspIRCd
        if [[ "$kind" == ngircd ]]; then
            echo "skipped: ngircd over TLS (no TLS configuration for it in bench/peers)" >&2
            return 0
        fi
    fi
    local bport="$port"   # where the bench connects: the HTTP port over WebSocket
    if [[ "$transport" == ws ]]; then
        if [[ "$kind" != parley ]]; then
            echo "skipped: $target over WebSocket (only Parley speaks it)" >&2
            return 0
        fi
        bport=$(( port + 13 ))   # 16680
    fi
    # handshakes in flight: ngircd's listen backlog is 10 (fixed at build time); InspIRCd
    # finishes registrations on a one-second tick, so its connect rate is its concurrency
    case "$kind" in
        ngircd) k=50 ;;
        inspircd) k=1000 ;;
        *) k=100 ;;
    esac
    mkdir -p "$RUNDIR"
    if [[ "$kind" == parley ]]; then
        # a fresh data directory per run: a TLS run makes its self-signed certificate there
        datadir="$(mktemp -d "$RUNDIR/parley-data.XXXXXX")"
        local listen=(--port "$port" --tls-port -1)
        [[ "$transport" == tls ]] && listen=(--port -1 --tls-port "$port")
        [[ "$transport" == ws ]] && listen+=(--http-port "$bport")
        "${PIN_SERVER[@]}" env PARLEY_LOG_LEVEL=WARN "$PARLEY" server --host 127.0.0.1 "${listen[@]}" --trusted 127.0.0.0/8 \
            --port-attempts 1 --engine "$engine" --data-dir "$datadir" $PARLEY_ARGS > "$RUNDIR/parley.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 100); do
            (exec 3<>"/dev/tcp/127.0.0.1/$bport") 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || { cat "$RUNDIR/parley.log" >&2; return 1; }
            sleep 0.1
        done
    else
        local variant=()
        [[ "$transport" == tls ]] && variant=(tls)
        pid="$("${PIN_SERVER[@]}" "$ROOT/bench/peers/start.sh" "$kind" "$port" "${variant[@]}")"
    fi
    local args=(--host 127.0.0.1 --port "$bport" --clients "$clients" --server-pid "$pid" --format json -q
                --connect-concurrency "$k" --source-addresses "$SOURCES" --setup-timeout 150s --drain "$DRAIN")
    [[ "$transport" == tls ]] && args+=(--tls)
    [[ "$transport" == ws ]] && args+=(--websocket)
    case "$scenario" in
        flood) args+=(--flood --window "$WINDOW" --senders "$SENDERS" --duration "$DURATION" --warmup "$WARMUP") ;;
        rate) args+=(--rate "$RATE" --senders "$SENDERS" --duration "$DURATION" --warmup "$WARMUP") ;;
        # idle: 100 clients per channel, so holding them is not one O(N²) join storm
        idle) args+=(--idle --channels $(( clients >= 200 ? clients / 100 : 1 )) --duration 3s --warmup 3s) ;;
    esac
    local rc=0
    "${PIN_BENCH[@]}" env PARLEY_JAVA_OPTS="-Xmx2g" "$PARLEY" bench "${args[@]}" > "$outfile.tmp" 2> "$outfile.err" || rc=$?
    if [[ "$kind" == parley ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        rm -rf "$datadir"
    else
        "$ROOT/bench/peers/stop.sh" "$kind"
    fi
    if [[ $rc -eq 0 ]]; then
        # the report itself says which transport was measured
        python3 -c 'import json, sys
r = json.load(open(sys.argv[1])); r["tls"] = sys.argv[2] == "tls"; r["websocket"] = sys.argv[2] == "ws"
if sys.argv[3]: r["parleyArgs"] = sys.argv[3]
open(sys.argv[1], "w").write(json.dumps(r, separators=(",", ":")) + "\n")' "$outfile.tmp" "$transport" "$([[ "$kind" == parley ]] && echo "$PARLEY_ARGS")"
        mv "$outfile.tmp" "$outfile"
        rm -f "$outfile.err"
    else
        echo "run failed ($target $scenario $clients #$rep): $(tail -n1 "$outfile.err")" >&2
        rm -f "$outfile.tmp"
    fi
    return 0
}

if [[ "${1:-}" == "__runs" ]]; then # one locked stretch: runs given as "target scenario clients rep transport outfile" words
    shift
    while [[ $# -ge 6 ]]; do
        echo "$(date +%T) $2 $1 ($5) $3 clients, repetition $4" >&2
        one_run "$1" "$2" "$3" "$4" "$5" "$6"
        shift 6
    done
    exit 0
fi

while [[ $# -gt 0 ]]; do
    case "$1" in
        --targets) TARGETS="$2"; shift 2 ;;
        --scenarios) SCENARIOS="$2"; shift 2 ;;
        --flood-clients) FLOOD_CLIENTS="$2"; shift 2 ;;
        --rate-clients) RATE_CLIENTS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --idle-clients) IDLE_CLIENTS="$2"; shift 2 ;;
        --reps) REPS="$2"; shift 2 ;;
        --first-rep) FIRST_REP="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --window) WINDOW="$2"; shift 2 ;;
        --drain) DRAIN="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --transports) TRANSPORTS="$2"; shift 2 ;;
        --parley-args) PARLEY_ARGS="$2"; shift 2 ;;
        --tls) TRANSPORTS=tls; shift ;;
        --websocket) TRANSPORTS=ws; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-benchmarks.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

export PB_TARGETS="$TARGETS" PB_SCENARIOS="$SCENARIOS" PB_FLOOD_CLIENTS="$FLOOD_CLIENTS" \
    PB_RATE_CLIENTS="$RATE_CLIENTS" PB_RATE="$RATE" PB_IDLE_CLIENTS="$IDLE_CLIENTS" PB_REPS="$REPS" \
    PB_DURATION="$DURATION" PB_WARMUP="$WARMUP" PB_WINDOW="$WINDOW" PB_SENDERS="$SENDERS" PB_SOURCES="$SOURCES" \
    PB_DRAIN="$DRAIN" PB_SERVER_CPUS="$SERVER_CPUS" PB_BENCH_CPUS="$BENCH_CPUS" PB_TRANSPORTS="$TRANSPORTS" \
    PB_PARLEY_ARGS="$PARLEY_ARGS"
mkdir -p "$OUT"
# build the jar first if it is missing or stale (under the lock, like every build)
flock "$LOCK" "$PARLEY" --version >/dev/null

for transport in $TRANSPORTS; do
    case "$transport" in plain|tls|ws) ;; *) echo "run-benchmarks.sh: unknown transport $transport (plain, tls or ws)" >&2; exit 2 ;; esac
done
for target in $TARGETS; do
    case "$target" in ngircd|inspircd) command -v "$target" >/dev/null || {
        echo "run-benchmarks.sh: $target is not installed: run bench/peers/install.sh" >&2; exit 1; } ;; esac
done

# Runs are grouped into locked stretches of about two minutes at most: all servers together
# for small runs, one server per stretch for the big ones (10000 clients in one channel, or
# more than 10000 held).
for rep in $(seq "$FIRST_REP" $(( FIRST_REP + REPS - 1 ))); do
    for scenario in $SCENARIOS; do
        case "$scenario" in
            flood) counts="$FLOOD_CLIENTS" ;;
            rate) counts="$RATE_CLIENTS" ;;
            idle) counts="$IDLE_CLIENTS" ;;
            *) echo "unknown scenario $scenario" >&2; exit 2 ;;
        esac
        for n in $counts; do
            big=0
            if [[ "$scenario" == idle ]]; then (( n > 10000 )) && big=1; else (( n > 2000 )) && big=1; fi
            batch=()
            for target in $TARGETS; do
                for transport in $TRANSPORTS; do
                    [[ "$transport" == tls && "$target" == ngircd ]] && continue   # no TLS configuration for ngircd
                    [[ "$transport" == ws && "$target" != parley:* ]] && continue  # only Parley speaks WebSocket
                    suffix=""
                    [[ "$transport" == tls ]] && suffix="-tls"
                    [[ "$transport" == ws ]] && suffix="-ws"
                    batch+=("$target" "$scenario" "$n" "$rep" "$transport" "$OUT/${scenario}-${target/:/-}${suffix}-n${n}-r${rep}.json")
                    if (( big )); then
                        flock "$LOCK" "$0" __runs "${batch[@]}"
                        batch=()
                    fi
                done
            done
            (( ${#batch[@]} )) && flock "$LOCK" "$0" __runs "${batch[@]}"
        done
    done
done
python3 "$ROOT/bench/summarize.py" "$OUT"

#!/usr/bin/env bash
# Measures a network of Parley nodes (cluster mode) with `parley bench --servers`: for each
# node count it starts a fresh three-server NATS cluster with JetStream and that many Parley
# nodes, all on loopback, runs each scenario, stops them all, and prints one table.
#
#   bench/run-cluster-bench.sh [--nodes "single 1 2 3"] [--scenarios "flood rate"] [--out DIR] ...
#
# "single" is one Parley server without --cluster and without NATS: the baseline the nodes'
# costs compare with.
# Scenarios:
#   flood  closed loop: --flood-clients clients in one channel, 16 senders, window 64
#   rate   open loop: --rate-clients clients in channels of 10, one sender per channel,
#          --rate messages per second in total (small channels: most messages cross nodes)
# Clients are spread round robin over the nodes, so every channel has members on every node,
# and the bench reports latency apart for deliveries within one node and across nodes. The
# CPU columns are the measured window's: all Parley nodes summed, and the NATS servers summed.
# NATS traffic (messages and bytes in and out, summed over the servers, from their monitoring
# port) and the events stream's size are read before and after each whole run (setup included).
#
# Everything it starts (NATS servers, Parley nodes, the bench) is stopped when it ends, fails
# or is interrupted, and every wait is bounded. The shared build lock (/tmp/parley-build.lock)
# is taken only to build the jar when it is missing or older than the sources; the runs
# themselves do not hold it. Needs nats-server (Debian: apt-get install nats-server), curl and
# python3.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCK="${PARLEY_BUILD_LOCK:-/tmp/parley-build.lock}"
JAR="$ROOT/app/target/parley.jar"
NATS_SERVER="${PARLEY_NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}"

NODES="single 1 2 3"
SCENARIOS="flood rate"
FLOOD_CLIENTS=300
RATE_CLIENTS=600
RATE=2000
DURATION=10s
WARMUP=2s
DRAIN=10s
RUN_TIMEOUT=240        # seconds one bench run may take, setup and drain included
OUT=""
BUILD=1
# loopback ports: NATS clients 14231+, NATS routes 14241+, NATS monitoring 14251+, Parley 16671+
NATS_PORT=14231
ROUTE_PORT=14241
MON_PORT=14251
PARLEY_PORT=16671

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
    cat <<EOF
Options (defaults in brackets):
  --nodes LIST          Parley node counts to measure (1 to 9; single: no cluster) [$NODES]
  --scenarios LIST      flood, rate [$SCENARIOS]
  --flood-clients N     clients in the flood's one channel [$FLOOD_CLIENTS]
  --rate-clients N      clients of the open-loop run, 10 per channel [$RATE_CLIENTS]
  --rate R              open-loop messages per second in total [$RATE]
  --duration D          measured time per run [$DURATION]
  --warmup D            warm-up per run [$WARMUP]
  --out DIR             keep the JSON reports and logs here [a temp directory, deleted]
  --no-build            use app/target/parley.jar as it is
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --nodes) NODES="$2"; shift 2 ;;
        --scenarios) SCENARIOS="$2"; shift 2 ;;
        --flood-clients) FLOOD_CLIENTS="$2"; shift 2 ;;
        --rate-clients) RATE_CLIENTS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-cluster-bench.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
    esac
done
for n in $NODES; do
    [[ "$n" =~ ^[1-9]$ || "$n" == single ]] || { echo "run-cluster-bench.sh: --nodes takes 1 to 9 or single, not $n" >&2; exit 2; }
done
for s in $SCENARIOS; do
    [[ "$s" == flood || "$s" == rate ]] || { echo "run-cluster-bench.sh: unknown scenario $s" >&2; exit 2; }
done
[[ -x "$NATS_SERVER" ]] || { echo "run-cluster-bench.sh: no nats-server (apt-get install nats-server)" >&2; exit 1; }
command -v curl >/dev/null && command -v python3 >/dev/null \
    || { echo "run-cluster-bench.sh: needs curl and python3" >&2; exit 1; }

# ---- everything started is stopped on the way out ----
WORK="$(mktemp -d /tmp/parley-cbench.XXXXXX)"
STARTED=()      # PIDs of the current run's processes
PARLEY_PIDS=()  # the Parley nodes among them
NATS_PIDS=()

stop_pids() { # TERM, up to 10 s to exit, then KILL
    local pid
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 100); do
        local alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [[ $alive == 0 ]] && break
        sleep 0.1
    done
    for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}
stop_all() { # the Parley nodes first, so they do not spend their last seconds calling NATS
    [[ ${#PARLEY_PIDS[@]} -gt 0 ]] && stop_pids "${PARLEY_PIDS[@]}"
    [[ ${#STARTED[@]} -gt 0 ]] && stop_pids "${STARTED[@]}"
    STARTED=()
    PARLEY_PIDS=()
}
cleanup() {
    stop_all
    if [[ -n "$OUT" ]]; then
        mkdir -p "$OUT" && cp -r "$WORK"/. "$OUT"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the jar: built under the shared lock, only when needed ----
stale() {
    [[ ! -f "$JAR" ]] && return 0
    [[ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o -path '*/target' -prune -o -path '*/node_modules' -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -type f -newer "$JAR" -print -quit)" ]]
}
if [[ $BUILD == 1 ]] && stale; then
    echo "building the jar (holding $LOCK)…" >&2
    (cd "$ROOT" && flock "$LOCK" mvn -o -q -B -ntp -DskipTests package >&2)
fi
[[ -f "$JAR" ]] || { echo "run-cluster-bench.sh: no $JAR (build it, or drop --no-build)" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PARLEY=("$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR")

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port pid log seconds
    local i
    for i in $(seq 1 $(( $4 * 10 ))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "exited early; log tail:" >&2; tail -n 20 "$3" >&2; return 1; }
        sleep 0.1
    done
    echo "port $1 not open after $4 s; log tail:" >&2; tail -n 20 "$3" >&2; return 1
}
for i in 0 1 2; do
    for p in $(( NATS_PORT + i )) $(( ROUTE_PORT + i )) $(( MON_PORT + i )); do
        port_free "$p" || { echo "run-cluster-bench.sh: port $p is taken" >&2; exit 1; }
    done
done
for i in $(seq 0 8); do
    port_free $(( PARLEY_PORT + i )) || { echo "run-cluster-bench.sh: port $(( PARLEY_PORT + i )) is taken" >&2; exit 1; }
done

start_nats() { # dir
    local dir="$1" i j
    for i in 0 1 2; do
        local conf="$dir/nats$i.conf"
        {
            echo "server_name: nats$i"
            echo "listen: 127.0.0.1:$(( NATS_PORT + i ))"
            echo "http: 127.0.0.1:$(( MON_PORT + i ))"
            echo "jetstream { store_dir: \"$dir/nats$i\", max_memory_store: 256MB, max_file_store: 2GB }"
            echo "cluster {"
            echo "  name: parley-bench"
            echo "  listen: 127.0.0.1:$(( ROUTE_PORT + i ))"
            echo "  routes: ["
            for j in 0 1 2; do [[ $j != "$i" ]] && echo "    nats-route://127.0.0.1:$(( ROUTE_PORT + j ))"; done
            echo "  ]"
            echo "}"
        } > "$conf"
        "$NATS_SERVER" -c "$conf" > "$dir/nats$i.log" 2>&1 &
        STARTED+=($!)
        NATS_PIDS+=($!)
    done
    for i in 0 1 2; do wait_port $(( MON_PORT + i )) "${NATS_PIDS[$i]}" "$dir/nats$i.log" 20; done
    # JetStream is usable once the cluster has a meta leader
    for _ in $(seq 1 300); do
        if curl -sf "http://127.0.0.1:$MON_PORT/jsz" | python3 -c \
            'import json,sys; j=json.load(sys.stdin); sys.exit(0 if (j.get("meta_cluster") or {}).get("leader") else 1)' 2>/dev/null
        then return 0; fi
        sleep 0.1
    done
    echo "NATS: no JetStream leader after 30 s" >&2; tail -n 20 "$dir"/nats*.log >&2; return 1
}

nats_stats() { # file: varz of every server and the events stream, as one JSON object
    python3 - "$1" "$MON_PORT" <<'EOF'
import json, sys, urllib.request
out, base = sys.argv[1], int(sys.argv[2])
r = {"in_msgs": 0, "out_msgs": 0, "in_bytes": 0, "out_bytes": 0, "stream_msgs": 0, "stream_bytes": 0}
for i in range(3):
    v = json.load(urllib.request.urlopen(f"http://127.0.0.1:{base + i}/varz", timeout=5))
    for k in ("in_msgs", "out_msgs", "in_bytes", "out_bytes"):
        r[k] += v.get(k, 0)
j = json.load(urllib.request.urlopen(f"http://127.0.0.1:{base}/jsz?streams=true", timeout=5))
for acc in j.get("account_details") or []:
    for s in acc.get("stream_detail") or []:
        if s.get("name") == "PARLEY_EVENTS":
            r["stream_msgs"] = s["state"]["messages"]
            r["stream_bytes"] = s["state"]["bytes"]
json.dump(r, open(out, "w"))
EOF
}

one_run() { # nodes scenario
    local nodes="$1" scenario="$2"
    local dir="$WORK/$scenario-n$nodes"
    mkdir -p "$dir"
    NATS_PIDS=()
    PARLEY_PIDS=()
    local servers="" cluster=() i count="$nodes"
    if [[ "$nodes" == single ]]; then
        count=1
    else
        start_nats "$dir"
        cluster=(--cluster "nats://127.0.0.1:$NATS_PORT,nats://127.0.0.1:$(( NATS_PORT + 1 )),nats://127.0.0.1:$(( NATS_PORT + 2 ))"
                 --node-name)
    fi
    for i in $(seq 1 "$count"); do
        local port=$(( PARLEY_PORT + i - 1 ))
        mkdir -p "$dir/node$i"
        env PARLEY_LOG_LEVEL=WARN "${PARLEY[@]}" server --engine virtual --host 127.0.0.1 --port "$port" \
            --tls-port -1 --port-attempts 1 --trusted 127.0.0.0/8 --data-dir "$dir/node$i" \
            --no-console "${cluster[@]}" ${cluster[0]:+"node$i"} --name "node$i.bench.example" > "$dir/node$i.log" 2>&1 &
        STARTED+=($!)
        PARLEY_PIDS+=($!)
        servers+="${servers:+,}127.0.0.1:$port"
    done
    for i in $(seq 1 "$count"); do
        wait_port $(( PARLEY_PORT + i - 1 )) "${PARLEY_PIDS[$((i - 1))]}" "$dir/node$i.log" 60
    done
    local pids nats_pids args
    pids="$(IFS=,; echo "${PARLEY_PIDS[*]}")"
    nats_pids="$(IFS=,; echo "${NATS_PIDS[*]}")"
    args=(--servers "$servers" --server-pid "$pids" ${nats_pids:+--watch-pid "$nats_pids"} --format json -q
          --connect-concurrency 50 --setup-timeout 120s --drain "$DRAIN" --duration "$DURATION" --warmup "$WARMUP")
    case "$scenario" in
        flood) args+=(--clients "$FLOOD_CLIENTS" --flood --window 64 --senders 16) ;;
        rate) args+=(--clients "$RATE_CLIENTS" --channels $(( RATE_CLIENTS / 10 )) --senders $(( RATE_CLIENTS / 10 ))
                     --rate "$RATE") ;;
    esac
    [[ -n "$nats_pids" ]] && nats_stats "$dir/nats-before.json"
    echo "$scenario, $nodes node(s): parley bench ${args[*]}" >&2
    local rc=0
    # in the background, so an interrupt is handled at once (bash runs traps only between commands)
    timeout -k 10 "$RUN_TIMEOUT" env PARLEY_JAVA_OPTS=-Xmx1g "${PARLEY[@]}" bench "${args[@]}" \
        > "$dir/bench.json" 2> "$dir/bench.err" &
    STARTED+=($!)
    wait $! || rc=$?
    [[ -n "$nats_pids" ]] && { nats_stats "$dir/nats-after.json" || true; }
    stop_all
    if [[ $rc != 0 ]]; then
        echo "bench failed ($rc):" >&2; tail -n 5 "$dir/bench.err" >&2
        return 0
    fi
}

SECONDS=0
for n in $NODES; do
    for s in $SCENARIOS; do
        one_run "$n" "$s"
    done
done
echo "all runs: ${SECONDS} s" >&2

python3 - "$WORK" "$NODES" "$SCENARIOS" <<'EOF'
import json, os, sys
work, nodes, scenarios = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def fmt(v, d=0):
    return "–" if v is None else f"{v:,.{d}f}"
rows = []
for sc in scenarios:
    for n in nodes:
        d = os.path.join(work, f"{sc}-n{n}")
        try:
            r = json.load(open(os.path.join(d, "bench.json")))
        except (OSError, ValueError):
            rows.append(f"| {sc} | {n} | failed (see {sc}-n{n}/bench.err) |" + " |" * 12)
            continue
        try:
            b = json.load(open(os.path.join(d, "nats-before.json")))
            a = json.load(open(os.path.join(d, "nats-after.json")))
        except (OSError, ValueError):
            b = a = None
        l, c = r["load"], r["correctness"]
        same, cross = l.get("latencySameServer"), l.get("latencyAcrossServers")
        lat = same or l["latency"]
        pc = (r.get("serverProcess") or {}).get("cpuSeconds")
        nc = (r.get("watchedProcesses") or {}).get("cpuSeconds")
        dl = l["deliveries"]
        us = lambda cpu: None if cpu is None or dl == 0 else cpu / dl * 1e6
        rows.append("| " + " | ".join([
            sc, n, f"{r['setup']['ready']:,}", fmt(l["deliveriesPerSecond"]), fmt(l["messagesPerSecond"]),
            f"{lat['p50']:.1f} / {lat['p99']:.1f}",
            "–" if cross is None else f"{cross['p50']:.1f} / {cross['p99']:.1f}",
            fmt(pc, 2), fmt(us(pc), 3), fmt(nc, 2), fmt(us(nc), 3),
            "–" if a is None else fmt((a["in_msgs"] - b["in_msgs"]) / 1e3, 0),
            "–" if a is None else fmt((a["in_bytes"] - b["in_bytes"]) / 1e6, 1),
            "–" if a is None else f"{a['stream_msgs'] - b['stream_msgs']:,}", f"{c['missing']:,}"]) + " |")
print("| scenario | nodes | clients ready | deliveries/s | messages/s | same node p50 / p99 ms | across nodes p50 / p99 ms"
      " | Parley CPU-s | Parley µs CPU per delivery | NATS CPU-s | NATS µs CPU per delivery"
      " | NATS k msgs in (whole run) | NATS MB in (whole run) | stream events (whole run) | missing |")
print("|" + "---|" * 15)
print("\n".join(rows))
EOF
